import { type BootFailurePolicy, describeError, type Logger, type PepperpyPlugin } from '@pepperpy/plugin'
import type { BootReport, BootReportPlugin, HealthReport, PluginHealth, PluginState } from '../health.js'

/** When a plugin still initializing is logged: 5, 10, 20 and 40 s after its `initialize()` started. */
export const SLOW_INIT_WARN_MS: readonly number[] = [5_000, 10_000, 20_000, 40_000]

interface Entry {
  id: string
  /** What the manager last saw happen; reconciled with the instance's flag when read. */
  state: 'initializing' | 'initialized' | 'failed' | 'skipped'
  t0: number
  initMs: number | undefined
  error: string | undefined
  /** How many slow-initialization warnings were logged for this run. */
  warned: number
}

/**
 * What the manager knows of each held plugin's boot: when its `initialize()` started and how long
 * it took, what failed and what was skipped because of it, and the policy for failures. Logs a
 * plugin that is still initializing at each of `slowWarnMs`, from one timer for all of them (armed
 * at the first start, re-armed for the next threshold due, cleared when a run ends with nothing
 * initializing): a timer per plugin was 10% of booting 1,000 plugins.
 */
export class Health {
  readonly #entries = new Map<string, Entry>()
  readonly #policies = new Map<string, BootFailurePolicy>()
  readonly #logger: Logger
  readonly #slowWarnMs: readonly number[]
  readonly #bootFailure: BootFailurePolicy
  readonly #running = new Set<Entry>()
  /** Whether any plugin ever failed or was skipped (until then, boots skip the dependency checks). */
  #anyDown = false
  #timer: ReturnType<typeof setTimeout> | undefined
  /** When the timer is due (`performance.now()` time): its firing proves that time has come, even under fake timers. */
  #due = 0

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
    if (previous) this.#running.delete(previous)
    const entry: Entry = { id, state: 'initializing', t0: performance.now(), initMs: undefined, error: undefined, warned: 0 }
    this.#entries.set(id, entry)
    const first = this.#slowWarnMs[0]
    if (first === undefined) return
    this.#running.add(entry)
    if (this.#timer === undefined) this.#arm(entry.t0 + first)
  }

  /** `id`'s `initialize()` settled; with `error`, it failed. */
  settled(id: string, error?: unknown): void {
    const entry = this.#entries.get(id)
    if (!entry) return
    this.#running.delete(entry)
    entry.initMs = performance.now() - entry.t0
    entry.state = error === undefined ? 'initialized' : 'failed'
    if (error !== undefined) this.#anyDown = true
    entry.error = error === undefined ? undefined : describeError(error)
  }

  /** `id` is not initialized because of `reason` (a required dependency failed or was skipped). */
  skipped(id: string, reason: string): void {
    const previous = this.#entries.get(id)
    if (previous) this.#running.delete(previous)
    this.#anyDown = true
    this.#entries.set(id, { id, state: 'skipped', t0: performance.now(), initMs: undefined, error: reason, warned: 0 })
  }

  /** A run of the manager ended: with nothing initializing any more, the warning timer is cleared. */
  idle(): void {
    if (this.#running.size > 0 || this.#timer === undefined) return
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  /** `failed` or `skipped` when the last boot left `id` down (and it has not been initialized since). */
  down(id: string, instance: PepperpyPlugin | undefined): 'failed' | 'skipped' | undefined {
    if (!this.#anyDown) return undefined
    const state = this.#entries.get(id)?.state
    return (state === 'failed' || state === 'skipped') && !instance?.initialized ? state : undefined
  }

  /** The reason `id` is down, for messages. */
  reasonOf(id: string): string | undefined {
    return this.#entries.get(id)?.error
  }

  /** Forgets `id` (removed from the manager). */
  forget(id: string): void {
    const entry = this.#entries.get(id)
    if (entry) this.#running.delete(entry)
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

  #arm(at: number): void {
    this.#due = at
    this.#timer = setTimeout(() => this.#sweep(), Math.max(0, at - performance.now()) + 1)
    this.#timer.unref?.()
  }

  /** Logs every plugin past its next threshold, then re-arms for the earliest one still to come. */
  #sweep(): void {
    this.#timer = undefined
    const now = Math.max(performance.now(), this.#due)
    let next = Infinity
    for (const entry of this.#running) {
      let at = this.#slowWarnMs[entry.warned]
      while (at !== undefined && entry.t0 + at <= now) {
        entry.warned++
        this.#logger.warn(`plugin "${entry.id}" is still initializing after ${seconds(at)} (its initialize() has not settled)`)
        at = this.#slowWarnMs[entry.warned]
      }
      if (at === undefined) this.#running.delete(entry)
      else next = Math.min(next, entry.t0 + at)
    }
    if (next !== Infinity) this.#arm(next)
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}
