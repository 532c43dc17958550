import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'

/** Where the packed tarballs are, by package name. */
export interface Packed {
  dir: string
  /** Every published package of packages/ (not private), by name. */
  published: Record<string, string>
  /** The third-party plugin example, packed like a package on npm. */
  thirdParty: string
}

declare module 'vitest' {
  export interface ProvidedContext {
    packed: Packed
  }
}

const repo = fileURLToPath(new URL('../../', import.meta.url))

/** `pnpm build` (turbo: cached when nothing changed), then `pnpm pack` of every published package and of examples/acme-plugin. */
export default function setup(project: TestProject): () => void {
  execFileSync('pnpm', ['build'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'], env: cleanEnv() })
  const dir = mkdtempSync(join(tmpdir(), 'pepperpy-packed-'))
  const published: Record<string, string> = {}
  for (const name of readdirSync(join(repo, 'packages'))) {
    const folder = join(repo, 'packages', name)
    if (!existsSync(join(folder, 'package.json'))) continue
    const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { name: string; private?: boolean }
    if (pkg.private) continue
    published[pkg.name] = pack(folder, dir)
  }
  const thirdParty = pack(join(repo, 'examples', 'acme-plugin'), dir)
  project.provide('packed', { dir, published, thirdParty })
  return () => rmSync(dir, { recursive: true, force: true })
}

/** Packs `folder` into `dest`; the tarball's path. */
function pack(folder: string, dest: string): string {
  const out = execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: folder, encoding: 'utf8', env: cleanEnv() })
  const file = out
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .reverse()
    .find((l) => l.endsWith('.tgz'))
  if (!file) throw new Error(`pnpm pack in ${folder} printed no tarball:\n${out}`)
  return file.startsWith('/') ? file : join(dest, file)
}

/** The environment without what pnpm/vitest set for this process (a user's shell has none of it). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|pnpm_|vitest|node_options$|tsx_)/i.test(k)) env[k] = v
  return { ...env, NO_COLOR: '1', ...extra }
}
