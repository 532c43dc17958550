import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { codeStamp } from './cache-dir.js'

const require = createRequire(import.meta.url)
const cache = new Map<string, unknown>()
const stamps = new Map<string, string>()

/** Libraries whose results the manifest cache keeps: their files are stamped when they load. */
type Stamped = 'yaml' | 'semver'

/** Loads a CommonJS-capable dependency synchronously on first use (keeps `import` of the package cheap). */
export function lazyRequire<T>(id: 'yaml' | 'js-yaml' | 'ajv' | 'semver' | 'jiti'): T {
  let mod = cache.get(id)
  if (mod === undefined) {
    mod = require(id)
    cache.set(id, mod)
    // the code that made this process's results is the code loaded now, whatever the disk holds later
    if (id === 'yaml' || id === 'semver') stamps.set(id, stampNow(id))
  }
  return mod as T
}

/**
 * The library `id` as a stamp (its entry file's path, size and time, and its package's version): as
 * it was when this process loaded it; else as installed now (looked up once: a module resolution).
 */
export function libraryStamp(id: Stamped): string {
  let stamp = stamps.get(id)
  if (stamp === undefined) stamps.set(id, (stamp = stampNow(id)))
  return stamp
}

function stampNow(id: Stamped): string {
  let path: string
  try {
    path = require.resolve(id)
  } catch {
    return `${id}:none`
  }
  // some installers give every file the same time: the version tells releases of one size apart
  const marker = `/node_modules/${id}/`
  const root = path.replaceAll('\\', '/').lastIndexOf(marker)
  let version = '?'
  if (root >= 0) {
    try {
      const pkg = `${path.slice(0, root + marker.length)}package.json`
      version = String((JSON.parse(readFileSync(pkg, 'utf8')) as { version?: unknown }).version)
    } catch {
      // no readable package.json: the file stamp alone
    }
  }
  return `${codeStamp(path)}:${version}`
}
