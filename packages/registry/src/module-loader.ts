import { createRequire } from 'node:module'
import { sep } from 'node:path'
import type { LoadModuleOptions, ModuleLoader } from '@pepperpy/plugin/spi'
import * as contract from '@pepperpy/plugin'
import { evaluateFresh, type Transform } from './internal/fresh-eval.js'
import { lazyRequire } from './internal/lazy.js'

interface Jiti {
  (id: string): unknown
  import<T>(id: string): Promise<T>
  transform: Transform
}
type CreateJiti = (from: string, options: Record<string, unknown>) => Jiti

/** Options of {@link createModuleLoader}. */
export interface ModuleLoaderOptions {
  /**
   * Modules handed to plugin code as they are, instead of being loaded again (so `instanceof` and
   * singletons hold). `@pepperpy/plugin` is always shared.
   */
  sharedModules?: Record<string, unknown>
}

const NODE_MODULES = `${sep}node_modules${sep}`

/**
 * A {@link ModuleLoader} for plugin entry points (`.ts .mts .js .mjs .cjs`) through jiti: TypeScript
 * without a build step; packages from node_modules come from the host (required natively, and
 * `@pepperpy/plugin` is the host's own copy), so `instanceof PepperpyPlugin` holds.
 * Normal loads are cached (one evaluation per file, concurrent loads share it). `fresh: true`
 * evaluates the file and the plugin's own relative imports anew outside every module cache, with
 * jiti's transform and `vm.compileFunction` (jiti's own `runInThisContext` keeps every distinct
 * source alive in V8's compilation cache); code with top-level await falls back to jiti with
 * `moduleCache: false`. Never `?v=` cache busting, which leaks every version.
 */
export function createModuleLoader(options: ModuleLoaderOptions = {}): ModuleLoader {
  const virtualModules = { ...options.sharedModules, '@pepperpy/plugin': contract }
  const cjsCache = createRequire(import.meta.url).cache
  const loaded = new Map<string, Promise<Record<string, unknown>>>()
  let cached: Jiti | undefined
  let transformer: Jiti | undefined
  const jiti = (fresh: boolean): Jiti => {
    const { createJiti } = lazyRequire<{ createJiti: CreateJiti }>('jiti')
    const make = (): Jiti =>
      createJiti(import.meta.url, { moduleCache: !fresh, fsCache: false, interopDefault: fresh, virtualModules, sourceMaps: false })
    if (fresh) return make()
    cached ??= make()
    return cached
  }
  const loadFresh = async (file: string): Promise<Record<string, unknown>> => {
    // first choice: jiti's transform + vm.compileFunction (old versions can be garbage-collected)
    try {
      transformer ??= lazyRequire<{ createJiti: CreateJiti }>('jiti').createJiti(import.meta.url, { fsCache: false, moduleCache: false })
      const transform = transformer.transform
      return namespaceOf(evaluateFresh(file, (o) => transform(o), virtualModules))
    } catch (error) {
      if ((error as Error | undefined)?.name !== 'SyntaxError' || !/await/.test((error as Error).message)) throw error
    }
    const before = new Set(Object.keys(cjsCache))
    const fresh = jiti(true)
    try {
      // jiti's async import hands plain CommonJS to Node's native import (ESM cache: never fresh
      // again); its synchronous require transpiles ESM/TS and keeps CommonJS in require.cache,
      // which is cleaned below. Top-level await does not compile synchronously: then import.
      try {
        return namespaceOf(fresh(file))
      } catch (error) {
        if ((error as Error | undefined)?.name !== 'SyntaxError') throw error
        return await fresh.import<Record<string, unknown>>(file)
      }
    } finally {
      for (const key of Object.keys(cjsCache)) if (!before.has(key) && !key.includes(NODE_MODULES)) delete cjsCache[key]
    }
  }
  return {
    load(file: string, opts: LoadModuleOptions = {}): Promise<Record<string, unknown>> {
      if (opts.fresh === true) return loadFresh(file)
      let ns = loaded.get(file)
      if (!ns) {
        ns = jiti(false).import<Record<string, unknown>>(file)
        loaded.set(file, ns)
        ns.catch(() => loaded.delete(file))
      }
      return ns
    },
  }
}

/** An ES module namespace for what a synchronous require returned (CommonJS exports become `default` too). */
function namespaceOf(exports: unknown): Record<string, unknown> {
  if (typeof exports === 'object' && exports !== null && (exports as { __esModule?: unknown }).__esModule === true)
    return exports as Record<string, unknown>
  const ns: Record<string, unknown> = Object.create(null)
  if ((typeof exports === 'object' && exports !== null) || typeof exports === 'function') {
    for (const key of Object.keys(exports)) ns[key] = (exports as Record<string, unknown>)[key]
  }
  ns['default'] = exports
  return ns
}
