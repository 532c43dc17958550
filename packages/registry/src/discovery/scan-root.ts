import { existsSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs'
import { join, relative, sep } from 'node:path'
import type { Diagnostic } from '@pepperpy/plugin'

const MANIFEST_NAMES = ['plugin.yaml', 'plugin.yml']
const MAX_DEPTH = 8

/** A manifest file found under a root, with its folder's path segments relative to the root. */
export interface FoundManifest {
  file: string
  dir: string
  segments: string[]
}

/**
 * Every plugin.yaml/plugin.yml under `root` (or `root`'s own), sorted and deterministic. Does not descend into a
 * plugin's own folder, `node_modules` or dot folders; survives symlink loops and unreadable folders.
 */
export function scanRoot(root: string, diagnostics: Diagnostic[]): FoundManifest[] {
  const found: FoundManifest[] = []
  const seen = new Set<string>()
  const walk = (dir: string, depth: number): void => {
    let real: string
    try {
      real = realpathSync(dir)
    } catch {
      return
    }
    if (seen.has(real)) {
      diagnostics.push({ file: dir, severity: 'warning', message: `symlink loop: ${dir} was already scanned; skipped` })
      return
    }
    seen.add(real)
    let entries: Dirent[]
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch (error) {
      diagnostics.push({ file: dir, severity: 'warning', message: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; skipped` })
      return
    }
    const manifest = MANIFEST_NAMES.find((name) => entries.some((e) => e.name === name && (e.isFile() || e.isSymbolicLink())))
    if (manifest) {
      // a manifest at the root itself (a root that is one plugin folder) must declare type and provider
      found.push({ file: join(dir, manifest), dir, segments: dir === root ? [] : relative(root, dir).split(sep) })
      return
    }
    if (depth >= MAX_DEPTH) return
    const subdirs = entries
      .filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules')
      .filter((e) => e.isDirectory() || (e.isSymbolicLink() && isDir(join(dir, e.name))))
      .map((e) => e.name)
      .sort()
    for (const name of subdirs) walk(join(dir, name), depth + 1)
  }
  if (existsSync(root)) walk(root, 0)
  return found
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
