import type { PepperpyPlugin, ResourceOptions } from '@pepperpy/plugin'
import { addLifecycleHook, pluginContext, type ResourcePoolPort } from '@pepperpy/plugin/spi'
import { defaultResourcePool } from './default-pool.js'
import { throwCollected } from './internal/errors.js'

/** The members {@link ResourceMixin} adds to a plugin class. */
export interface ResourceHolder {
  /**
   * Gets the resource `key`, creating it with `factory` on first use, and counts this plugin as a
   * holder (once, however often it asks). Released automatically when the plugin is cleaned up.
   * @throws ResourceError when the factory fails (nothing is cached; the next call retries)
   */
  getResource<T>(key: string, options: ResourceOptions<T>): Promise<T>
  /** Stops holding `key`; the cleanup runs when no holder is left. Releasing a key not held does nothing. */
  releaseResource(key: string): Promise<void>
  /** True when this plugin holds `key` (shared or private) and it is ready. */
  hasResource(key: string): boolean
}

/** Any concrete plugin class (PepperpyPlugin or a subclass of it). */
// biome-ignore lint/suspicious/noExplicitAny: TypeScript requires any[] in a mixin constructor type
export type PluginConstructor = new (...args: any[]) => PepperpyPlugin

/** The class {@link ResourceMixin} returns: the base class's API plus {@link ResourceHolder}. */
// biome-ignore lint/suspicious/noExplicitAny: TypeScript requires any[] in a mixin constructor type
export type WithResources<TBase extends PluginConstructor> = TBase & (new (...args: any[]) => ResourceHolder)

/** The pool a plugin's resources live in: its system's, or the process default. */
export function resourcePoolOf(plugin: PepperpyPlugin): ResourcePoolPort {
  return pluginContext(plugin).resources ?? defaultResourcePool()
}

/**
 * Adds shared resources to a plugin class (Python PepperPy's `ResourceMixin`). Everything the plugin holds
 * is released after its cleanup, even when `cleanup()` is overridden without `super` or throws, and
 * when `initialize()` fails.
 * @example
 * class Rag extends ResourceMixin(PepperpyPlugin) {
 *   db?: Db
 *   override async initialize() {
 *     this.db = await this.getResource('database', { factory: connect, cleanup: (db) => db.close() })
 *   }
 * }
 */
export function ResourceMixin<TBase extends PluginConstructor>(Base: TBase): WithResources<TBase> {
  class ResourceHolderPlugin extends Base implements ResourceHolder {
    #pools: ResourcePoolPort[] | undefined

    #pool(): ResourcePoolPort {
      const pool = resourcePoolOf(this)
      const pools = this.#pools
      if (pools === undefined) {
        this.#pools = [pool]
        addLifecycleHook(this, 'afterCleanup', () => releaseEverywhere(this, this.#pools ?? []))
      } else if (!pools.includes(pool)) pools.push(pool)
      return pool
    }

    getResource<T>(key: string, options: ResourceOptions<T>): Promise<T> {
      return this.#pool().acquire(key, this, options)
    }

    releaseResource(key: string): Promise<void> {
      return resourcePoolOf(this).release(key, this)
    }

    hasResource(key: string): boolean {
      return resourcePoolOf(this).has(key, this)
    }
  }
  return ResourceHolderPlugin
}

async function releaseEverywhere(holder: object, pools: readonly ResourcePoolPort[]): Promise<void> {
  const errors: unknown[] = []
  for (const pool of pools) {
    try {
      await pool.releaseAll(holder)
    } catch (error) {
      errors.push(error)
    }
  }
  throwCollected(errors, 'releasing resources failed')
}
