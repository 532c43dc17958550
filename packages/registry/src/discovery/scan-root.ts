import { existsSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs'
import { join, sep } from 'node:path'
import { describeError, type Diagnostic } from '@pepperpy/plugin'

const MANIFEST_NAMES = ['plugin.yaml', 'plugin.yml']
const MAX_DEPTH = 8

/** A manifest file found under a root, with its folder's path segments relative to the root. */
export interface FoundManifest {
  file: string
  dir: string
  segments: string[]
  /** The folder's readdir dirents (lets the entry point check skip an lstat). */
  listing: Dirent[]
}

/**
 * Every plugin.yaml/plugin.yml under `root` (or `root`'s own), sorted and deterministic. Does not descend into a
 * plugin's own folder, `node_modules` or dot folders; survives symlink loops and unreadable folders.
 */
export function scanRoot(root: string, diagnostics: Diagnostic[]): FoundManifest[] {
  const found: FoundManifest[] = []
  const seen = new Set<string>()
  // `real` is the folder's real path: computed with realpath only at the root and for symlinks;
  // a plain subfolder's is its parent's plus its name (a loop can only go through a symlink)
  const walk = (dir: string, real: string, depth: number, segments: string[]): void => {
    if (seen.has(real)) {
      diagnostics.push({ file: dir, severity: 'warning', message: `symlink loop: ${dir} was already scanned; skipped` })
      return
    }
    seen.add(real)
    let entries: Dirent[]
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch (error) {
      diagnostics.push({
        file: dir,
        severity: 'warning',
        message: `cannot read folder: ${(error as NodeJS.ErrnoException | undefined)?.code ?? describeError(error)}; skipped`,
      })
      return
    }
    // anything but a folder named plugin.yaml counts: a FIFO or device is then refused with a diagnostic, not skipped silently
    const manifest = MANIFEST_NAMES.find((name) => entries.some((e) => e.name === name && !e.isDirectory()))
    if (manifest) {
      // a manifest at the root itself (a root that is one plugin folder) must declare type and provider
      found.push({ file: depth === 0 ? join(dir, manifest) : child(dir, manifest), dir, segments, listing: entries })
      return
    }
    if (depth >= MAX_DEPTH) return
    const subdirs = entries
      .filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules')
      .filter((e) => e.isDirectory() || (e.isSymbolicLink() && isDir(join(dir, e.name))))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const e of subdirs) {
      const path = depth === 0 ? join(dir, e.name) : child(dir, e.name)
      const target = e.isSymbolicLink() ? realOf(path) : child(real, e.name)
      if (target !== undefined) walk(path, target, depth + 1, [...segments, e.name])
    }
  }
  if (existsSync(root)) {
    const real = realOf(root)
    if (real !== undefined) walk(root, real, 0, [])
  }
  return found
}

/** `join(parent, name)` for a readdir name in a folder whose path is already normalized (a joined or real path). */
function child(parent: string, name: string): string {
  return parent.endsWith(sep) ? parent + name : parent + sep + name
}

function realOf(path: string): string | undefined {
  try {
    return realpathSync(path)
  } catch {
    return undefined
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
