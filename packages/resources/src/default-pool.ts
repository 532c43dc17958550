import { createSharedResources, type ResourcePool } from './resource-pool.js'

const DEFAULT_POOL: unique symbol = Symbol.for('pepperpy.resources.default') as never

/**
 * The process-wide pool used by plugins that run without a plugin system (no
 * `pluginContext(plugin).resources`). Kept on `globalThis` under `Symbol.for('pepperpy.resources.default')`,
 * so duplicate copies of this package share it.
 * @example
 * await defaultResourcePool().dispose() // e.g. in a test's afterEach
 */
export function defaultResourcePool(): ResourcePool {
  const store = globalThis as { [DEFAULT_POOL]?: ResourcePool }
  let pool = store[DEFAULT_POOL]
  if (pool === undefined) {
    pool = createSharedResources()
    Object.defineProperty(store, DEFAULT_POOL, { value: pool, configurable: true, writable: true, enumerable: false })
  }
  return pool
}
