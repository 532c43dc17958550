import type { Lease, LeaseProvider, Logger, PepperpyPlugin } from '@pepperpy/plugin'
import { addLifecycleHook, type ResolvedPlugin } from '@pepperpy/plugin/spi'

/**
 * Leader plugins: a plugin with `leader: true` (manifest field, `registerPlugin`
 * metadata or `static leader = true`) is initialized on one process of the fleet at a time. Its
 * `initialize()` first waits for the lease named after its pluginId (retrying until this process
 * gets it, or the run's signal aborts: `initTimeoutMs`, a `cleanup()`, the system's `dispose()`;
 * give standby processes `initTimeoutMs: Infinity` to wait without limit); `plugin.lease` is then the
 * held lease (`lease.token` the fencing token). When the lease is lost the plugin is cleaned up;
 * `cleanup()` releases it. Everything goes through lifecycle hooks; the manager knows nothing of it.
 */
export class Leaders {
  readonly #provider: LeaseProvider | undefined
  readonly #logger: Logger
  readonly #registered = new Set<string>()
  readonly #stop = new AbortController()
  #warned = false

  constructor(provider: LeaseProvider | undefined, logger: Logger) {
    this.#provider = provider
    this.#logger = logger
  }

  /** Marks `type/provider` as a leader (from `registerPlugin(..., { leader: true })`). */
  register(type: string, provider: string, leader: boolean | undefined): void {
    if (leader) this.#registered.add(`${type}/${provider}`)
    else this.#registered.delete(`${type}/${provider}`)
  }

  /** True when `resolved` is a leader plugin. */
  isLeader(resolved: ResolvedPlugin): boolean {
    const fromManifest = (resolved.info.manifest as Record<string, unknown> | undefined)?.['leader'] === true
    const fromClass = (resolved.PluginClass as { leader?: unknown }).leader === true
    return fromManifest || fromClass || this.#registered.has(`${resolved.type}/${resolved.provider}`)
  }

  /** Adds the lease hooks to `instance` when it is a leader plugin. */
  install(instance: PepperpyPlugin, resolved: ResolvedPlugin): void {
    if (!this.isLeader(resolved)) return
    const provider = this.#provider
    if (!provider) {
      if (!this.#warned)
        this.#logger.warn(
          `plugin "${instance.pluginId}" is a leader but the system has no lease provider; it runs in this process without coordination (pass createPluginSystem({ lease }))`,
        )
      this.#warned = true
      return
    }
    let held: Lease | undefined
    Object.defineProperty(instance, 'lease', { get: () => held, configurable: true, enumerable: false })
    addLifecycleHook(instance, 'beforeInitialize', async () => {
      // the run's signal aborts on initTimeoutMs, a cleanup() during the wait, or the caller's signal
      const stop = AbortSignal.any([instance.signal, this.#stop.signal])
      const lease = await provider.acquire(`leader:${instance.pluginId}`, { signal: stop })
      held = lease
      this.#logger.info(`plugin "${instance.pluginId}" leads (fencing token ${lease.token})`)
      lease.lost.addEventListener(
        'abort',
        () => {
          this.#logger.warn(`plugin "${instance.pluginId}" lost its lease (token ${lease.token}); cleaning it up`)
          instance
            .cleanup()
            .catch((error: unknown) => this.#logger.error(`cleanup of "${instance.pluginId}" after losing its lease failed`, error))
        },
        { once: true },
      )
    })
    addLifecycleHook(instance, 'afterCleanup', async () => {
      const lease = held
      held = undefined
      await lease?.release()
    })
  }

  /** Stops every wait for a lease (the system is being disposed). */
  stop(): void {
    this.#stop.abort(new Error('the plugin system is being disposed'))
  }
}
