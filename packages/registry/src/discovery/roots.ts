import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'
import type { Root } from './discover.js'

/** What decides the plugin roots. */
export interface RootOptions {
  builtinPaths?: string[] | undefined
  defaultPaths?: boolean | undefined
  homeDir?: string | undefined
  cwd: string
  env: Record<string, string | undefined>
  /** `paths` option, then `registerPath` calls, in order. */
  paths: string[]
}

/** Roots searched before plugin packages: the built-in ones (lowest precedence). */
export function rootsBefore(o: RootOptions): Root[] {
  return (o.builtinPaths ?? []).map((path) => ({ path, optional: true }))
}

/**
 * Roots searched after plugin packages, lowest precedence first: `~/.pepperpy/plugins`, `./plugins`,
 * `PEPPERPY_PLUGIN_PATH` (unless `defaultPaths: false`), then the registered paths in order.
 */
export function rootsAfter(o: RootOptions): Root[] {
  const roots: Root[] = []
  if (o.defaultPaths !== false) {
    roots.push({ path: join(o.homeDir ?? homedir(), '.pepperpy', 'plugins'), optional: true })
    roots.push({ path: join(o.cwd, 'plugins'), optional: true })
    for (const path of (o.env['PEPPERPY_PLUGIN_PATH'] ?? '').split(delimiter).filter(Boolean)) roots.push({ path, optional: false })
  }
  for (const path of o.paths) roots.push({ path, optional: false })
  return roots
}
