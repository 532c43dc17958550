import { channels, PepperpyError, StateError, type PepperpyPlugin, type StateStore } from '@pepperpy/plugin'
import { channelTracer } from '@pepperpy/plugin/spi'
import { snapshot } from '../persistence/state-fields.js'

/** Timing of change detection and saves (see PersistentOptions). */
export interface SaveTiming {
  debounceMs: number
  maxWaitMs: number
  pollMs: number
}

/** Retry delays after a failed save: 1 s, doubling, at most 30 s. */
const RETRY_MIN_MS = 1000
const RETRY_MAX_MS = 30_000
const savingState = channelTracer(channels.stateSave)

/**
 * Watches the state fields of one initialized plugin and saves them through its store: a JSON
 * snapshot is compared every `pollMs` (this also sees nested changes such as `items.push(x)`),
 * a save follows `debounceMs` of quiet and at most `maxWaitMs` after the first unsaved change.
 * At most one save runs at a time; a failed save is retried with backoff and logged once per streak.
 */
export class StateTracker {
  readonly fields: string[]
  readonly #plugin: PepperpyPlugin
  readonly #store: StateStore
  readonly #version: number
  #saved: string
  #seen: string
  #dirtySince = 0
  #lastChange = 0
  #timer: NodeJS.Timeout | undefined
  #saving: Promise<void> | undefined
  #failures = 0
  #retryAt = 0
  #detached = false

  constructor(plugin: PepperpyPlugin, store: StateStore, fields: string[], version: number) {
    this.#plugin = plugin
    this.#store = store
    this.fields = fields
    this.#version = version
    this.#saved = this.#seen = this.#text()
  }

  #text(): string {
    return JSON.stringify(snapshot(this.#plugin, this.fields))
  }

  /** Starts polling for changes (the timer never keeps the process alive). */
  start(timing: SaveTiming): void {
    if (this.#detached || this.#timer) return
    this.#timer = setInterval(() => this.#tick(timing), timing.pollMs)
    this.#timer.unref()
  }

  #tick({ debounceMs, maxWaitMs }: SaveTiming): void {
    const now = Date.now()
    const text = this.#text()
    if (text !== this.#seen) {
      this.#seen = text
      this.#lastChange = now
      if (!this.#dirtySince) this.#dirtySince = now
    }
    if (!this.#dirtySince || this.#saving || now < this.#retryAt) return
    if (now - this.#lastChange >= debounceMs || now - this.#dirtySince >= maxWaitMs) void this.flush()
  }

  /** Saves now if the state differs from the last save; never throws (failures are logged). */
  flush(): Promise<void> {
    if (this.#detached) return (this.#saving ?? Promise.resolve()).then(() => undefined) // a save already running still finishes
    const previous = this.#saving ?? Promise.resolve()
    const run = previous.then(() => this.#save())
    this.#saving = run
    void run.finally(() => {
      if (this.#saving === run) this.#saving = undefined
    })
    return run
  }

  async #save(): Promise<void> {
    const data = snapshot(this.#plugin, this.fields)
    const text = JSON.stringify(data)
    if (text === this.#saved) {
      this.#dirtySince = 0
      return
    }
    const { pluginId, logger } = this.#plugin
    try {
      const state = { version: this.#version, data, savedAt: new Date().toISOString() }
      const { pluginType: type, provider } = this.#plugin
      await (savingState.active
        ? savingState.tracePromise({ pluginId, type, provider, key: pluginId }, () => this.#store.save(pluginId, state))
        : this.#store.save(pluginId, state))
      this.#saved = text
      if (text === this.#seen) this.#dirtySince = 0
      if (this.#failures > 0) logger.warn(`state of "${pluginId}" saved again after ${this.#failures} failed attempt(s)`)
      this.#failures = 0
      this.#retryAt = 0
    } catch (cause) {
      this.#failures++
      this.#retryAt = Date.now() + Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (this.#failures - 1))
      const error =
        PepperpyError.is(cause) && cause.code === 'STATE_FAILED'
          ? cause
          : new StateError(`cannot save state of "${pluginId}": ${(cause as Error).message}; the previous state is kept`, {
              cause,
              pluginId,
            })
      if (this.#failures === 1) logger.error(error.message, error)
      else logger.debug(`save of "${pluginId}" failed again (${this.#failures}x): ${error.message}`)
    }
  }

  /** Stops polling; with `handOver` the state belongs to another instance and is never saved from here again. */
  stop(handOver = false): void {
    clearInterval(this.#timer)
    this.#timer = undefined
    if (handOver) this.#detached = true
  }
}
