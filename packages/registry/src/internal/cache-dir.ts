import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'

/**
 * The folder of PepperPy's on-disk caches (parsed manifests, transformed TypeScript), where tools
 * keep theirs: `PEPPERPY_CACHE_DIR`; else `node_modules/.cache/pepperpy` of the project (the nearest
 * folder above `cwd` with a package.json and a node_modules); else the user cache folder
 * (`$XDG_CACHE_HOME/pepperpy`, `~/.cache/pepperpy`, `~/Library/Caches/pepperpy`,
 * `%LOCALAPPDATA%\pepperpy\Cache`). Undefined (no caching) when `PEPPERPY_CACHE` is `0` or `false`.
 */
export function cacheRoot(cwd: string, env: Record<string, string | undefined>): string | undefined {
  if (env['PEPPERPY_CACHE'] === '0' || env['PEPPERPY_CACHE'] === 'false') return undefined
  const explicit = env['PEPPERPY_CACHE_DIR']
  if (explicit) return explicit
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'pepperpy')
      break
    }
    if (dirname(dir) === dir) break
  }
  if (env['XDG_CACHE_HOME']) return join(env['XDG_CACHE_HOME'], 'pepperpy')
  if (process.platform === 'win32' && env['LOCALAPPDATA']) return join(env['LOCALAPPDATA'], 'pepperpy', 'Cache')
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'pepperpy')
  return join(homedir(), '.cache', 'pepperpy')
}

/** The text of a cache file, or undefined when it is absent or unreadable (a cache miss, never an error). */
export function readCacheFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

let counter = 0

/**
 * Writes a cache file atomically: a temp file beside it, then a rename, so a reader (another
 * process too) sees the old file or the new one, never a torn one; the last writer wins. Failures
 * (read-only disk, no permission) are ignored: the cache is an optimisation only.
 */
export function writeCacheFile(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${Date.now().toString(36)}${(counter++).toString(36)}.tmp`
  try {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(temp, text)
    renameSync(temp, file)
  } catch {
    rmSync(temp, { force: true })
  }
}

/** A short, stable, non-cryptographic name for `text` (FNV-1a, 52 bits): names cache files; contents are checked in full. */
export function cacheName(text: string): string {
  let h1 = 0x811c9dc5
  let h2 = 0x050c5d1f
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h1 >>> 7)
  }
  return ((h2 >>> 0) & 0xfffff).toString(16).padStart(5, '0') + (h1 >>> 0).toString(16).padStart(8, '0')
}

/** A file of code as a cache stamp (`path:size:mtime`, or `path:none`): a cache made by other code is told apart by it. */
export function codeStamp(path: string): string {
  const s = statSync(path, { throwIfNoEntry: false })
  return s ? `${path}:${s.size}:${s.mtimeMs}` : `${path}:none`
}
