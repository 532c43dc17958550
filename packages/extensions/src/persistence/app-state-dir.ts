import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'

/** The folder every app shared before 0.2 (`~/.pepperpy/state`); read as a fallback by the default store. */
export const legacyStateRoot = (): string => join(homedir(), '.pepperpy', 'state')

/**
 * The default state folder of this application (DESIGN decision 23): `PEPPERPY_STATE_DIR` when
 * set, else `~/.pepperpy/state/<app>`, where `<app>` is the `name` of the nearest package.json
 * above the main module (`@acme/shop` -> `acme+shop`), or `script-<file>-<hash of its path>` for a
 * script outside any package. Two apps on one machine never share state by accident; a new
 * release of the same app deployed to another folder keeps its state.
 */
export function defaultStateDir(env: Record<string, string | undefined> = process.env): string {
  const fromEnv = env['PEPPERPY_STATE_DIR']
  if (fromEnv) return fromEnv
  return join(legacyStateRoot(), appName())
}

function appName(): string {
  const main = process.argv[1] ? resolve(process.argv[1]) : undefined
  for (let dir = main ? dirname(main) : process.cwd(); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json')
    const name = existsSync(file) ? packageName(file) : undefined
    if (name) return name.replace(/^@/, '').replace(/\//g, '+')
    if (dirname(dir) === dir) break
  }
  const where = main ?? process.cwd()
  const base = basename(where).replace(/[^A-Za-z0-9._-]/g, '_') || 'app'
  return `script-${base}-${createHash('sha256').update(where).digest('hex').slice(0, 8)}`
}

function packageName(file: string): string | undefined {
  try {
    const name = (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name
    return typeof name === 'string' && /^(@[a-z0-9._~-]+\/)?[a-z0-9._~-]+$/i.test(name) ? name : undefined
  } catch {
    return undefined
  }
}
