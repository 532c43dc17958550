import { describeError, ResourceError, type ResourceOptions } from '@pepperpy/plugin'
import type { ResourcePoolPort } from '@pepperpy/plugin/spi'
import { describeHolder, throwCollected } from './internal/errors.js'
import { describeEntry, invalidAcquire, newEntry, runCleanup, type ResourceEntry } from './internal/resource-entry.js'

/** One live resource as shown by {@link ResourcePool.stats}. */
export interface ResourceInfo {
  /** The resource key. */
  key: string
  /** `'plugin'` for a private resource. */
  scope: 'shared' | 'plugin'
  /** How many holders count it. */
  holders: number
}

/** A snapshot of a {@link ResourcePool}, for tests and `pepperpy doctor`. */
export interface ResourcePoolStats {
  /** Live resources, oldest first. */
  resources: ResourceInfo[]
  /** Factories still running. */
  creating: number
}

/** The refcounted resource pool of one plugin system, with views for tests and diagnostics. */
export interface ResourcePool extends ResourcePoolPort {
  /** Keys of live resources (shared and private), oldest first, without duplicates. */
  keys(): string[]
  /** What the pool holds right now. */
  stats(): ResourcePoolStats
}

const RESOLVED: Promise<void> = Promise.resolve()

/**
 * Creates a refcounted pool of shared resources: lazy creation, one factory
 * run per key under concurrent callers, failures not cached, cleanup exactly once after the last
 * holder lets go. A holder that acquires the same key twice counts once; one release frees it.
 * @example
 * const pool = createSharedResources()
 * const db = await pool.acquire('database', plugin, { factory: connect, cleanup: (c) => c.close() })
 * await pool.release('database', plugin)
 */
export function createSharedResources(): ResourcePool {
  const shared = new Map<string, ResourceEntry>()
  let privates = new WeakMap<object, Map<string, ResourceEntry>>()
  let held = new WeakMap<object, Set<ResourceEntry>>()
  const live = new Set<ResourceEntry>()
  const creating = new Set<ResourceEntry>()
  let disposing: Promise<void> | undefined

  function track(holder: object, entry: ResourceEntry): void {
    entry.holders.add(holder)
    let set = held.get(holder)
    if (set === undefined) held.set(holder, (set = new Set()))
    set.add(entry)
  }

  function forget(entry: ResourceEntry): void {
    if (entry.owner === undefined) {
      if (shared.get(entry.key) === entry) shared.delete(entry.key)
    } else {
      const map = privates.get(entry.owner)
      if (map?.get(entry.key) === entry) map.delete(entry.key)
    }
    live.delete(entry)
    creating.delete(entry)
  }

  async function finalize(entry: ResourceEntry): Promise<void> {
    if (entry.closed) return
    entry.closed = true
    forget(entry)
    await runCleanup(entry)
  }

  /** Frees an entry nobody holds any more; waits for its factory first. */
  function retire(entry: ResourceEntry): Promise<void> {
    if (entry.ready) return finalize(entry)
    const pending = entry.creating
    if (pending === undefined) return RESOLVED
    return pending.then(
      () => (entry.holders.size === 0 ? finalize(entry) : undefined),
      () => undefined,
    )
  }

  function start<T>(entry: ResourceEntry, options: ResourceOptions<T>): void {
    creating.add(entry)
    entry.creating = (async () => options.factory())().then(
      (value) => {
        creating.delete(entry)
        entry.value = value
        entry.ready = true
        entry.creating = undefined
        if (!entry.closed) live.add(entry)
        return value
      },
      (error: unknown) => {
        forget(entry)
        entry.closed = true
        for (const holder of entry.holders) held.get(holder)?.delete(entry)
        entry.holders.clear()
        throw new ResourceError(
          `factory of ${describeEntry(entry)} failed: ${describeError(error)}. Nothing was cached; the next getResource("${entry.key}") retries.`,
          { cause: error },
        )
      },
    )
  }

  function waitFor<T>(entry: ResourceEntry, holder: object): Promise<T> {
    return (entry.creating as Promise<T>).then((value) => {
      if (!entry.holders.has(holder)) {
        throw new ResourceError(
          `${describeEntry(entry)} was released by ${describeHolder(holder)}${disposing ? ' (pool disposed)' : ''} before its factory finished`,
        )
      }
      return value
    })
  }

  function acquireIn<T>(
    map: Map<string, ResourceEntry>,
    key: string,
    owner: object | undefined,
    holder: object,
    options: ResourceOptions<T>,
  ): Promise<T> {
    let entry = map.get(key)
    if (entry === undefined) {
      entry = newEntry(key, owner, options as ResourceOptions<unknown>)
      map.set(key, entry)
      start(entry, options)
    }
    track(holder, entry)
    return entry.ready ? Promise.resolve(entry.value as T) : waitFor<T>(entry, holder)
  }

  function releaseEntry(entry: ResourceEntry, holder: object): Promise<void> {
    if (!entry.holders.delete(holder)) return RESOLVED
    held.get(holder)?.delete(entry)
    return entry.holders.size === 0 ? retire(entry) : RESOLVED
  }

  return {
    acquire<T>(key: string, holder: object, options: ResourceOptions<T>): Promise<T> {
      const entry = shared.get(key)
      if (entry?.ready && options.scope !== 'plugin' && disposing === undefined) {
        track(holder, entry)
        return Promise.resolve(entry.value as T)
      }
      const invalid = invalidAcquire(key, holder, options)
      if (invalid) return Promise.reject(invalid)
      if (disposing)
        return Promise.reject(
          new ResourceError(`resource "${key}" requested while the pool is being disposed; acquire it after dispose() settles`),
        )
      if (options.scope !== 'plugin') return acquireIn(shared, key, undefined, holder, options)
      let map = privates.get(holder)
      if (map === undefined) privates.set(holder, (map = new Map()))
      return acquireIn(map, key, holder, holder, options)
    },

    release(key: string, holder: object): Promise<void> {
      const entry = shared.get(key)
      const own = privates.get(holder)?.get(key)
      if (own === undefined) return entry === undefined ? RESOLVED : releaseEntry(entry, holder)
      const both = [entry === undefined ? RESOLVED : releaseEntry(entry, holder), releaseEntry(own, holder)]
      return Promise.allSettled(both).then((results) => {
        throwCollected(
          results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])),
          `release of resource "${key}" failed`,
        )
      })
    },

    async releaseAll(holder: object): Promise<void> {
      const set = held.get(holder)
      if (set === undefined) return
      held.delete(holder)
      privates.delete(holder)
      const errors: unknown[] = []
      for (const entry of [...set].reverse()) {
        if (!entry.holders.delete(holder) || entry.holders.size > 0) continue
        try {
          await retire(entry)
        } catch (error) {
          errors.push(error)
        }
      }
      throwCollected(errors, `releasing the resources of ${describeHolder(holder)} failed`)
    },

    has(key: string, holder?: object): boolean {
      if (holder !== undefined) {
        const entry = shared.get(key)
        if (entry?.ready && entry.holders.has(holder)) return true
        return privates.get(holder)?.get(key)?.ready === true
      }
      for (const entry of live) if (entry.key === key && entry.holders.size > 0) return true
      return false
    },

    dispose(): Promise<void> {
      if (disposing) return disposing
      const work = (async () => {
        for (const entry of creating) entry.holders.clear()
        await Promise.allSettled([...creating].map((e) => e.creating))
        const errors: unknown[] = []
        for (const entry of [...live].reverse()) {
          entry.holders.clear()
          try {
            await finalize(entry)
          } catch (error) {
            errors.push(error)
          }
        }
        shared.clear()
        privates = new WeakMap()
        held = new WeakMap()
        throwCollected(errors, `dispose of the resource pool failed for ${errors.length} resources`)
      })()
      disposing = work.finally(() => {
        disposing = undefined
      })
      return disposing
    },

    keys(): string[] {
      return [...new Set([...live].map((e) => e.key))]
    },

    stats(): ResourcePoolStats {
      return {
        resources: [...live].map((e) => ({ key: e.key, scope: e.owner === undefined ? 'shared' : 'plugin', holders: e.holders.size })),
        creating: creating.size,
      }
    },
  }
}

/**
 * The old name of {@link createSharedResources} (it is refcounted sharing by key, not a pool).
 * @deprecated use `createSharedResources`
 */
export const createResourcePool: typeof createSharedResources = createSharedResources
