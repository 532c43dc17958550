import { type BootFailurePolicy, describeError, type Logger, type PepperpyPlugin } from '@pepperpy/plugin'
import { type Deadline, deadlinesFor } from '@pepperpy/plugin/spi'
import type { BootReport, BootReportPlugin, HealthReport, PluginHealth, PluginState } from '../health.js'

/** When a plugin still initializing is logged: 5, 10, 20 and 40 s after its `initialize()` started. */
export const SLOW_INIT_WARN_MS: readonly number[] = [5_000, 10_000, 20_000, 40_000]

interface Entry {
  /** What the manager last saw happen; reconciled with the instance's flag when read. */
  state: 'initializing' | 'initialized' | 'failed' | 'skipped'
  t0: number
  initMs: number | undefined
  error: string | undefined
  slow: Deadline | undefined
}

/**
 * What the manager knows of each held plugin's boot: when its `initialize()` started and how long
 * it took, what failed and what was skipped because of it, and the policy for failures. Logs a
 * plugin that is still initializing at each of `slowWarnMs` (on the contract's shared deadline timers).
 */
export class Health {
  readonly #entries = new Map<string, Entry>()
  readonly #policies = new Map<string, BootFailurePolicy>()
  readonly #logger: Logger
  readonly #slowWarnMs: readonly number[]
  readonly #bootFailure: BootFailurePolicy

  constructor(logger: Logger, bootFailure: BootFailurePolicy, slowWarnMs: readonly number[]) {
    this.#logger = logger
    this.#bootFailure = bootFailure
    this.#slowWarnMs = slowWarnMs
  }

  /** Sets the policy registered for `id` (metadata); undefined removes it. */
  setPolicy(id: string, policy: BootFailurePolicy | undefined): void {
    if (policy) this.#policies.set(id, policy)
    else this.#policies.delete(id)
  }

  /** The policy for a failure of `id`: its metadata's, else its manifest's, else the manager's. */
  policyOf(id: string, own: BootFailurePolicy | undefined): BootFailurePolicy {
    return this.#policies.get(id) ?? own ?? this.#bootFailure
  }

  /** `id`'s `initialize()` starts now. */
  starting(id: string): void {
    const previous = this.#entries.get(id)
    previous?.slow?.cancel()
    const entry: Entry = { state: 'initializing', t0: performance.now(), initMs: undefined, error: undefined, slow: undefined }
    this.#entries.set(id, entry)
    this.#armSlow(id, entry, 0)
  }

  /** `id`'s `initialize()` settled; with `error`, it failed. */
  settled(id: string, error?: unknown): void {
    const entry = this.#entries.get(id)
    if (!entry) return
    entry.slow?.cancel()
    entry.slow = undefined
    entry.initMs = performance.now() - entry.t0
    entry.state = error === undefined ? 'initialized' : 'failed'
    entry.error = error === undefined ? undefined : describeError(error)
  }

  /** `id` is not initialized because of `reason` (a required dependency failed or was skipped). */
  skipped(id: string, reason: string): void {
    this.#entries.get(id)?.slow?.cancel()
    this.#entries.set(id, { state: 'skipped', t0: performance.now(), initMs: undefined, error: reason, slow: undefined })
  }

  /** `failed` or `skipped` when the last boot left `id` down (and it has not been initialized since). */
  down(id: string, instance: PepperpyPlugin | undefined): 'failed' | 'skipped' | undefined {
    const state = this.#entries.get(id)?.state
    return (state === 'failed' || state === 'skipped') && !instance?.initialized ? state : undefined
  }

  /** The reason `id` is down, for messages. */
  reasonOf(id: string): string | undefined {
    return this.#entries.get(id)?.error
  }

  /** Forgets `id` (removed from the manager). */
  forget(id: string): void {
    this.#entries.get(id)?.slow?.cancel()
    this.#entries.delete(id)
  }

  /** One plugin's health, reconciled with its instance (initialized or cleaned outside the manager's runs). */
  of(id: string, instance: PepperpyPlugin | undefined): PluginHealth {
    const entry = this.#entries.get(id)
    const initialized = instance?.initialized === true
    let state: PluginState
    if (!entry) state = initialized ? 'initialized' : 'pending'
    else if (entry.state === 'initializing') state = 'initializing'
    else if (initialized) state = 'initialized'
    else state = entry.state === 'initialized' ? 'cleaned' : entry.state
    const out: PluginHealth = { id, state }
    if (entry?.error !== undefined && (state === 'failed' || state === 'skipped')) out.error = entry.error
    const initMs = entry?.state === 'initializing' ? performance.now() - entry.t0 : entry?.initMs
    if (initMs !== undefined) out.initMs = initMs
    return out
  }

  /** `manager.health()` over `ids` (in initialization order). */
  report(ids: readonly string[], instanceOf: (id: string) => PepperpyPlugin | undefined): HealthReport {
    const plugins = ids.map((id) => this.of(id, instanceOf(id)))
    const degraded = plugins.some((p) => p.state === 'failed' || p.state === 'skipped')
    return { status: degraded ? 'degraded' : 'ok', plugins }
  }

  /** `manager.bootReport()` over `ids`, with each plugin's ordering dependencies. */
  bootReport(
    ids: readonly string[],
    instanceOf: (id: string) => PepperpyPlugin | undefined,
    dependencies: (id: string) => string[],
  ): BootReport {
    let first = Infinity
    for (const id of ids) {
      const entry = this.#entries.get(id)
      if (entry && entry.state !== 'skipped') first = Math.min(first, entry.t0)
    }
    let last = first
    const plugins = ids.map((id): BootReportPlugin => {
      const health = this.of(id, instanceOf(id))
      const entry = this.#entries.get(id)
      const out: BootReportPlugin = { ...health, dependencies: dependencies(id) }
      if (entry && entry.state !== 'skipped') {
        out.startMs = entry.t0 - first
        last = Math.max(last, entry.t0 + (health.initMs ?? 0))
      }
      return out
    })
    return { totalMs: Number.isFinite(first) ? last - first : 0, plugins }
  }

  /** Logs `id` as still initializing at each warning threshold, until it settles. */
  #armSlow(id: string, entry: Entry, step: number): void {
    const at = this.#slowWarnMs[step]
    if (at === undefined) return
    const gap = at - (this.#slowWarnMs[step - 1] ?? 0)
    entry.slow = deadlinesFor(gap).add(() => {
      if (this.#entries.get(id) !== entry || entry.state !== 'initializing') return
      this.#logger.warn(`plugin "${id}" is still initializing after ${seconds(at)} (its initialize() has not settled)`)
      this.#armSlow(id, entry, step + 1)
    })
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}
