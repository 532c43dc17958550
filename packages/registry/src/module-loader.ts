import type { LoadModuleOptions, ModuleLoader } from '@pepperpy/plugin'
import * as contract from '@pepperpy/plugin'
import { lazyRequire } from './internal/lazy.js'

interface Jiti {
  import<T>(id: string): Promise<T>
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

/**
 * A {@link ModuleLoader} for plugin entry points (`.ts .mts .js .mjs .cjs`) through jiti: TypeScript
 * without a build step, and the host's copies of shared modules (`@pepperpy/plugin` at least). `fresh: true` evaluates anew outside every module
 * cache (jiti with `moduleCache: false`), never with `?v=` cache busting, which leaks every version.
 */
export function createModuleLoader(options: ModuleLoaderOptions = {}): ModuleLoader {
  const virtualModules = { ...options.sharedModules, '@pepperpy/plugin': contract }
  let cached: Jiti | undefined
  const jiti = (fresh: boolean): Jiti => {
    const { createJiti } = lazyRequire<{ createJiti: CreateJiti }>('jiti')
    const make = (): Jiti =>
      createJiti(import.meta.url, { moduleCache: !fresh, fsCache: false, interopDefault: false, virtualModules, sourceMaps: false })
    if (fresh) return make()
    cached ??= make()
    return cached
  }
  return {
    async load(file: string, opts: LoadModuleOptions = {}): Promise<Record<string, unknown>> {
      return jiti(opts.fresh === true).import<Record<string, unknown>>(file)
    },
  }
}
