import { isPlugin, type ResourceOptions } from '@pepperpy/plugin'
import type { ResourcePoolPort } from '@pepperpy/plugin/spi'

interface PoolView extends ResourcePoolPort {
  stats?(): { resources: { key: string; scope: string; holders: number }[] }
}

/** Who holds what in one resource pool, recorded by wrapping that pool object's own methods. */
export class HolderTracker {
  readonly #held = new Map<string, Set<object>>()
  readonly #pool: PoolView

  /** Wraps `acquire`, `release` and `releaseAll` of `pool` (this pool object only; nothing global). */
  constructor(pool: ResourcePoolPort) {
    this.#pool = pool as PoolView
    const { acquire, release, releaseAll } = pool
    pool.acquire = <T>(key: string, holder: object, options: ResourceOptions<T>): Promise<T> => {
      this.#add(key, holder)
      return acquire
        .call<ResourcePoolPort, [string, object, ResourceOptions<T>], Promise<T>>(pool, key, holder, options)
        .catch((error: unknown) => {
          this.#remove(key, holder)
          throw error
        })
    }
    pool.release = (key, holder) => {
      this.#remove(key, holder)
      return release.call(pool, key, holder)
    }
    pool.releaseAll = (holder) => {
      for (const key of [...this.#held.keys()]) this.#remove(key, holder)
      return releaseAll.call(pool, holder)
    }
  }

  /** One line per resource still held in the pool, naming its holders. */
  leaks(where = ''): string[] {
    const lines: string[] = []
    const live = this.#pool.stats?.().resources ?? [...this.#held.keys()].map((key) => ({ key, scope: 'shared', holders: 1 }))
    for (const r of live) {
      const holders = [...(this.#held.get(r.key) ?? [])].filter((h) => this.#pool.has(r.key, h)).map(describeHolder)
      const by = holders.length > 0 ? holders.join(', ') : `${r.holders} holder(s)`
      lines.push(
        `resource "${r.key}"${where} is still held by ${by} after cleanup; release it (releaseResource) or clean up the plugin that holds it`,
      )
    }
    return lines
  }

  #add(key: string, holder: object): void {
    let set = this.#held.get(key)
    if (!set) this.#held.set(key, (set = new Set()))
    set.add(holder)
  }

  #remove(key: string, holder: object): void {
    const set = this.#held.get(key)
    set?.delete(holder)
    if (set?.size === 0) this.#held.delete(key)
  }
}

function describeHolder(holder: object): string {
  if (!isPlugin(holder)) {
    const name = (holder.constructor as { name?: string } | undefined)?.name
    return name && name !== 'Object' ? `a ${name} object` : 'a plain object'
  }
  return `${holder.pluginId}${holder.initialized ? ' (still initialized: nobody cleaned it up)' : ''}`
}
