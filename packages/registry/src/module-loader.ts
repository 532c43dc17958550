import { createRequire } from 'node:module'
import { sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { LoadModuleOptions, ModuleLoader } from '@pepperpy/plugin/spi'
import * as contract from '@pepperpy/plugin'
import { cacheRoot } from './internal/cache-dir.js'
import { evaluateFresh, type Transform } from './internal/fresh-eval.js'
import { lazyRequire } from './internal/lazy.js'
import { cachedTransform, type TransformRequest } from './internal/transform-cache.js'

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
  /**
   * Folder of the on-disk cache of transformed TypeScript (`<dir>/transforms/`), or `false` for none.
   * @default `PEPPERPY_CACHE_DIR`, else `node_modules/.cache/pepperpy` of the project, else the user cache folder
   */
  cacheDir?: string | false
}

/** {@link LoadModuleOptions} plus what the registry knows about the plugin. */
export interface RegistryLoadOptions extends LoadModuleOptions {
  /**
   * Whether a JavaScript file (.js .mjs .cjs) may be imported by Node itself, without jiti (false
   * for hot-reloadable plugins). @default true
   */
  native?: boolean
}

const NODE_MODULES = `${sep}node_modules${sep}`
const JAVASCRIPT = /\.[cm]?js$/
/** Errors of Node's own import that jiti may get past (a .ts import, a shared module not installed, CommonJS shapes). */
const NATIVE_MISSES = new Set([
  'ERR_MODULE_NOT_FOUND',
  'ERR_UNSUPPORTED_DIR_IMPORT',
  'ERR_UNKNOWN_FILE_EXTENSION',
  'ERR_REQUIRE_ESM',
  'ERR_PACKAGE_PATH_NOT_EXPORTED',
  'ERR_UNSUPPORTED_ESM_URL_SCHEME',
])

/**
 * A {@link ModuleLoader} for plugin entry points (`.ts .mts .js .mjs .cjs`) through jiti: TypeScript
 * without a build step; packages from node_modules come from the host (required natively, and
 * `@pepperpy/plugin` is the host's own copy), so `instanceof PepperpyPlugin` holds.
 * JavaScript files that are not hot-reloadable are imported by Node itself (jiti is not even
 * loaded); should Node's import fail where jiti may succeed (an import of a `.ts` file, a shared
 * module that is not installed beside the plugin), jiti loads it. TypeScript is transformed by
 * jiti once per content: the output is kept on disk (see `cacheDir`) and reused by later processes.
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
  const dir = options.cacheDir === undefined ? cacheRoot(process.cwd(), process.env) : options.cacheDir || undefined
  let cached: Jiti | undefined
  let plain: ((request: TransformRequest) => string) | undefined
  let transform: ((request: TransformRequest) => string) | undefined
  /** jiti's own transform (babel). */
  const plainTransformer = (): ((request: TransformRequest) => string) => {
    if (plain) return plain
    const base = lazyRequire<{ createJiti: CreateJiti }>('jiti').createJiti(import.meta.url, { fsCache: false, moduleCache: false })
    plain = (request: TransformRequest): string => base.transform(request as Parameters<Transform>[0])
    return plain
  }
  /** jiti's transform through the on-disk cache, when there is one (hot reload's fresh loads skip it: each edit is new source). */
  const transformer = (): ((request: TransformRequest) => string) => {
    transform ??= dir === undefined ? plainTransformer() : cachedTransform(dir, plainTransformer())
    return transform
  }
  const jiti = (fresh: boolean): Jiti => {
    const { createJiti } = lazyRequire<{ createJiti: CreateJiti }>('jiti')
    const t = transformer()
    const make = (): Jiti =>
      createJiti(import.meta.url, {
        moduleCache: !fresh,
        fsCache: false,
        interopDefault: fresh,
        virtualModules,
        sourceMaps: false,
        transform: (request: TransformRequest) => ({ code: t(request) }),
      })
    if (fresh) return make()
    cached ??= make()
    return cached
  }
  const loadNative = async (file: string): Promise<Record<string, unknown>> => {
    try {
      return (await import(pathToFileURL(file).href)) as Record<string, unknown>
    } catch (error) {
      const e = error as { code?: unknown; name?: unknown } | undefined
      if (!(typeof e?.code === 'string' && NATIVE_MISSES.has(e.code)) && e?.name !== 'SyntaxError') throw error
      return jiti(false).import<Record<string, unknown>>(file)
    }
  }
  const loadFresh = async (file: string): Promise<Record<string, unknown>> => {
    // first choice: jiti's transform + vm.compileFunction (old versions can be garbage-collected)
    try {
      const t = plainTransformer()
      return namespaceOf(evaluateFresh(file, (o) => t(o), virtualModules))
    } catch (error) {
      const reason = (error as { reason?: string } | undefined)?.reason ?? (error as Error | undefined)?.message ?? ''
      if ((error as Error | undefined)?.name !== 'SyntaxError' || !/await/.test(reason)) throw error
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
    load(file: string, opts: RegistryLoadOptions = {}): Promise<Record<string, unknown>> {
      if (opts.fresh === true) return loadFresh(file)
      let ns = loaded.get(file)
      if (!ns) {
        ns = opts.native !== false && JAVASCRIPT.test(file) ? loadNative(file) : jiti(false).import<Record<string, unknown>>(file)
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
