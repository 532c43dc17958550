import { lifecycleState, type PepperpyPlugin, type PluginClass } from '@pepperpy/plugin'
import { instantiatePlugin, type LiveInstance, type PluginInit } from '@pepperpy/plugin/spi'
import { createReloadableHandle, type ReloadableHandle } from '@pepperpy/extensions'

interface Entry {
  handle: ReloadableHandle<PepperpyPlugin>
  init: PluginInit
}

/** Every instance a system created, held weakly; hot-reloadable ones behind a swappable handle. */
export class LiveInstances {
  readonly #all = new Set<WeakRef<PepperpyPlugin>>()
  /** `#all` is swept of collected instances when it grows past this (amortized O(1) per track). */
  #sweepAt = 1024
  readonly #reloadable = new Map<string, Set<WeakRef<Entry>>>()
  readonly #byProxy = new WeakMap<object, Entry>()
  readonly #forget = new FinalizationRegistry<{ set: Set<WeakRef<object>>; ref: WeakRef<object> }>(({ set, ref }) => set.delete(ref))

  /** Remembers `plugin` (weakly) so `dispose()` can clean it up. */
  track(plugin: PepperpyPlugin): void {
    // swept lazily rather than through the FinalizationRegistry: registering every instance cost
    // more than creating it
    this.#all.add(new WeakRef(plugin))
    if (this.#all.size < this.#sweepAt) return
    for (const ref of this.#all) if (ref.deref() === undefined) this.#all.delete(ref)
    this.#sweepAt = Math.max(1024, this.#all.size * 2)
  }

  /** Wraps a hot-reloadable `plugin` in a handle that a reload can point at new code. */
  wrap<T extends PepperpyPlugin>(plugin: T, init: PluginInit): T {
    const handle = createReloadableHandle<PepperpyPlugin>(plugin)
    const entry: Entry = { handle, init }
    const id = `${init.type}/${init.provider}`
    let set = this.#reloadable.get(id)
    if (!set) this.#reloadable.set(id, (set = new Set()))
    const ref = new WeakRef(entry)
    set.add(ref)
    this.#byProxy.set(handle.proxy, entry) // the entry lives as long as the caller's proxy does
    this.#forget.register(handle.proxy, { set: set as Set<WeakRef<object>>, ref })
    return handle.proxy as T
  }

  /** Live instances of `type/provider` that a hot reload may swap. */
  liveInstances(type: string, provider: string): LiveInstance[] {
    const out: LiveInstance[] = []
    for (const ref of this.#reloadable.get(`${type}/${provider}`) ?? []) {
      const entry = ref.deref()
      if (!entry) continue
      out.push({
        get current() {
          return entry.handle.current
        },
        recreate: (Class: PluginClass) => {
          const next = instantiatePlugin(Class, entry.init)
          this.track(next)
          return next
        },
        swap: (next: PepperpyPlugin) => entry.handle.swap(next),
      })
    }
    return out
  }

  /** Every tracked instance that is still alive and not idle (initialized, or initializing or cleaning right now). */
  active(): PepperpyPlugin[] {
    const out: PepperpyPlugin[] = []
    for (const ref of this.#all) {
      const p = ref.deref()
      if (p && lifecycleState(p) !== 'idle') out.push(p)
    }
    return out
  }

  /** Forgets everything. */
  clear(): void {
    this.#all.clear()
    this.#reloadable.clear()
  }
}
