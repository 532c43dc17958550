import { PluginDisabledError } from '@pepperpy/plugin'

/** Counts crashes in a sliding window; past `max` within `windowMs` the plugin is disabled. */
export class CrashWindow {
  readonly #max: number
  readonly #windowMs: number
  readonly #times: number[] = []

  constructor(max: number, windowMs: number) {
    this.#max = max
    this.#windowMs = windowMs
  }

  /** Records a crash ending with `cause`; returns the error to disable the plugin with once the limit is reached. */
  record(pluginId: string, cause: Error, now: number = Date.now()): PluginDisabledError | undefined {
    this.#times.push(now)
    while (this.#times.length > 0 && this.#times[0]! <= now - this.#windowMs) this.#times.shift()
    if (this.#times.length < this.#max) return undefined
    const since = new Date(this.#times[0]!).toISOString()
    return new PluginDisabledError(
      `${pluginId} is disabled: it crashed ${this.#times.length} times since ${since} (restart.max ${this.#max} within restart.window_ms ${this.#windowMs}); last: ${cause.message}`,
      { pluginId, cause },
    )
  }
}
