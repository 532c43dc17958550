import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const cache = new Map<string, unknown>()

/** Loads a CommonJS-capable dependency synchronously on first use (keeps `import` of the package cheap). */
export function lazyRequire<T>(id: 'yaml' | 'js-yaml' | 'ajv' | 'semver' | 'jiti'): T {
  let mod = cache.get(id)
  if (mod === undefined) {
    mod = require(id)
    cache.set(id, mod)
  }
  return mod as T
}
