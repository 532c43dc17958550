// The save loop of one persistent plugin: change detection, debounced saves with revision checks,
// conflict merges, sync from other writers and retries. Over 300 lines because these share the
// base/revision bookkeeping and must stay in one place to stay correct.
import { createRequire } from 'node:module'
import {
  channels,
  describeError,
  isSecretKey,
  PepperpyError,
  StateError,
  type PepperpyPlugin,
  type StateStore,
  type StoredState,
} from '@pepperpy/plugin'
import { channelTracer } from '@pepperpy/plugin/spi'
import type { StateMerge } from '../persistence/state-merge.js'
import { flushOnExit } from './exit-flush.js'

// node:crypto is loaded on the first save, not when the package is imported (several milliseconds)
const require = createRequire(import.meta.url)
const randomBytes = (n: number): Buffer => (require('node:crypto') as typeof import('node:crypto')).randomBytes(n)
const savingState = channelTracer(channels.stateSave)

/** Timing of change detection and saves (see PersistentOptions). */
export interface SaveTiming {
  debounceMs: number
  maxWaitMs: number
  pollMs: number
}

/** What a tracker needs besides the plugin. */
export interface TrackerOptions {
  store: StateStore
  fields: string[]
  version: number
  /** The stored revision the instance was loaded from (0: nothing stored). */
  revision: number
  merge: StateMerge
  sync: boolean
  /** The data of a stored state in this version (migrated). */
  readData: (stored: StoredState) => Record<string, unknown>
}

/** Write ids of trackers that handed their state over to a newer instance (hot reload), per store and key. */
const handedOver = new WeakMap<StateStore, Map<string, Set<string>>>()
const handedOverIds = (store: StateStore, key: string): Set<string> => {
  let byKey = handedOver.get(store)
  if (!byKey) handedOver.set(store, (byKey = new Map()))
  let ids = byKey.get(key)
  if (!ids) byKey.set(key, (ids = new Set()))
  return ids
}

const RETRY_MIN_MS = 1000
const RETRY_MAX_MS = 30_000
const MAX_MERGES = 100
const EXIT_ATTEMPTS = 3

/**
 * Watches the state fields of one initialized plugin and saves them through its store: a JSON
 * snapshot is compared every `pollMs`, a save follows `debounceMs` of quiet and at most
 * `maxWaitMs` after the first unsaved change. Each save names the revision it is based on; when
 * another writer saved first, the stored state is loaded and merged (`merge`) into the instance
 * and the save is retried. At most one save runs at a time; failures are retried with backoff.
 */
export class StateTracker {
  readonly fields: string[]
  readonly #plugin: PepperpyPlugin
  readonly #o: TrackerOptions
  #base: Record<string, unknown>
  #baseText: string
  #revision: number
  #pending: { id: string; data: Record<string, unknown> }[] = []
  readonly #savedIds: string[] = []
  #remote: StoredState | undefined
  #seen: string
  #dirtySince = 0
  #lastChange = 0
  #timer: NodeJS.Timeout | undefined
  #unwatch: (() => void) | undefined
  #unexit: (() => void) | undefined
  #saving: Promise<void> | undefined
  #failures = 0
  #retryAt = 0
  #exitAttempts = 0
  #detached = false
  readonly #bad = new Set<string>()

  constructor(plugin: PepperpyPlugin, options: TrackerOptions) {
    this.#plugin = plugin
    this.#o = options
    this.fields = options.fields
    this.#revision = options.revision
    this.#base = this.#snapshot()
    this.#baseText = this.#seen = JSON.stringify(this.#base)
  }

  /** A JSON copy of the state fields; a field that cannot be serialized keeps its base value and is reported once. */
  #snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    const self = this.#plugin as unknown as Record<string, unknown>
    for (const f of this.fields) {
      if (isSecretKey(f)) continue
      try {
        const json = JSON.stringify(self[f], withoutSecrets)
        out[f] = json === undefined ? undefined : JSON.parse(json)
        if (this.#bad.delete(f)) this.#plugin.logger.warn(`state field "${f}" of "${this.#plugin.pluginId}" can be saved again`)
      } catch (cause) {
        out[f] = this.#base?.[f]
        if (!this.#bad.has(f)) {
          this.#bad.add(f)
          this.#plugin.logger.error(
            `state field "${f}" of "${this.#plugin.pluginId}" cannot be saved (${describe(cause)}); its last saved value is kept and the plugin keeps running`,
          )
        }
      }
    }
    return out
  }

  /** Starts polling for changes (the timer never keeps the process alive); with `sync`, watches the store. */
  start(timing: SaveTiming): void {
    if (this.#detached || this.#timer) return
    this.#timer = setInterval(() => this.#tick(timing), timing.pollMs)
    this.#timer.unref()
    this.#unexit = flushOnExit(this)
    if (this.#o.sync && this.#o.store.watch) {
      this.#unwatch = this.#o.store.watch(this.#plugin.pluginId, (state) => {
        if (state && (state.revision ?? 0) > this.#revision) this.#remote = state
      })
    }
  }

  #tick({ debounceMs, maxWaitMs }: SaveTiming): void {
    try {
      const now = Date.now()
      if (this.#remote && !this.#saving) void this.#chain(() => this.#syncRemote())
      const text = JSON.stringify(this.#snapshot())
      if (text !== this.#seen) {
        this.#seen = text
        this.#lastChange = now
      }
      if (this.#pending.length === 0 && text === this.#baseText) {
        this.#dirtySince = 0
        return
      }
      if (!this.#dirtySince) this.#dirtySince = now
      if (this.#saving || now < this.#retryAt) return
      if (now - this.#lastChange >= debounceMs || now - this.#dirtySince >= maxWaitMs) void this.flush()
    } catch (error) {
      this.#plugin.logger.error(`state check of "${this.#plugin.pluginId}" failed: ${describe(error)}`)
    }
  }

  /** At process exit: saves pending changes (a few attempts at most, so a failing store cannot keep the process alive). */
  flushAtExit(): void {
    if (this.#exitAttempts >= EXIT_ATTEMPTS || this.#saving) return
    if (this.#pending.length === 0 && JSON.stringify(this.#snapshot()) === this.#baseText) return
    this.#exitAttempts++
    void this.flush()
  }

  /** Saves now if the state differs from the stored one; never throws (failures are logged). */
  flush(): Promise<void> {
    if (this.#detached) return (this.#saving ?? Promise.resolve()).then(() => undefined)
    return this.#chain(() => this.#save())
  }

  /**
   * The save of `cleanup()`: retried every 250 ms while the store fails (a Redis restart), for at
   * most `budgetMs`; then the loss is logged as an error naming the plugin.
   */
  async flushFinal(budgetMs = 10_000): Promise<void> {
    const end = Date.now() + budgetMs
    for (;;) {
      await this.flush()
      if (this.#detached || (this.#pending.length === 0 && JSON.stringify(this.#snapshot()) === this.#baseText)) return
      if (Date.now() > end) {
        this.#plugin.logger.error(
          `state of "${this.#plugin.pluginId}" could not be saved before cleanup within ${budgetMs} ms; its last changes are lost`,
        )
        return
      }
      await new Promise((r) => setTimeout(r, 250))
    }
  }

  #chain(step: () => Promise<void>): Promise<void> {
    const run = (this.#saving ?? Promise.resolve()).then(step)
    this.#saving = run
    void run.finally(() => {
      if (this.#saving === run) this.#saving = undefined
    })
    return run
  }

  async #syncRemote(): Promise<void> {
    const remote = this.#remote
    this.#remote = undefined
    if (remote && (remote.revision ?? 0) > this.#revision) this.#rebase(remote)
  }

  async #save(): Promise<void> {
    const { pluginId, logger } = this.#plugin
    try {
      for (let merges = 0; ; merges++) {
        const data = this.#snapshot()
        const text = JSON.stringify(data)
        if (text === this.#baseText && this.#pending.length === 0) return
        const id = randomBytes(6).toString('base64url')
        this.#pending.push({ id, data })
        try {
          const save = () =>
            this.#o.store.save(
              pluginId,
              { version: this.#o.version, data, savedAt: new Date().toISOString() },
              { expectedRevision: this.#revision, writeId: id },
            )
          const { pluginType: type, provider } = this.#plugin
          await (savingState.active ? savingState.tracePromise({ pluginId, type, provider, key: pluginId }, save) : save())
        } catch (error) {
          if (!(PepperpyError.is(error) && error.code === 'STATE_CONFLICT') || merges >= MAX_MERGES) throw error
          this.#rebase(await this.#o.store.load(pluginId))
          continue
        }
        this.#base = data
        this.#baseText = text
        this.#revision++
        this.#pending = []
        this.#savedIds.push(id)
        if (this.#savedIds.length > 64) this.#savedIds.shift()
        if (this.#failures > 0) logger.warn(`state of "${pluginId}" saved again after ${this.#failures} failed attempt(s)`)
        this.#failures = 0
        this.#retryAt = 0
        return
      }
    } catch (cause) {
      this.#failed(cause)
    }
  }

  /** Moves the instance onto `theirs`: merges it into the fields and takes its revision as the new base. */
  #rebase(theirs: StoredState | undefined): void {
    if (!theirs) {
      this.#revision = 0
      return
    }
    const ids = new Set(theirs.writeIds ?? [])
    const applied = this.#pending.findLast((p) => ids.has(p.id))
    if (applied) this.#base = applied.data // a save reported as failed (a timeout) did reach the store
    this.#pending = []
    const theirData = pick(this.#o.readData(theirs), this.fields)
    const latest = theirs.writeIds?.at(-1)
    if (latest && handedOverIds(this.#o.store, this.#plugin.pluginId).has(latest)) {
      // written last by the instance this one replaced (hot reload): its state is already in ours
      this.#base = theirData
      this.#baseText = JSON.stringify(theirData)
      this.#revision = theirs.revision ?? 0
      return
    }
    const ours = this.#snapshot()
    const merged = this.#o.merge(ours, theirData, this.#base)
    const self = this.#plugin as unknown as Record<string, unknown>
    for (const f of this.fields) {
      if (this.#bad.has(f) || !Object.hasOwn(merged, f)) continue
      if (JSON.stringify(merged[f]) !== JSON.stringify(ours[f])) self[f] = structuredClone(merged[f])
    }
    this.#base = theirData
    this.#baseText = JSON.stringify(theirData)
    this.#revision = theirs.revision ?? 0
  }

  #failed(cause: unknown): void {
    const { pluginId, logger } = this.#plugin
    this.#failures++
    this.#retryAt = Date.now() + Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (this.#failures - 1))
    const error =
      PepperpyError.is(cause) && (cause.code === 'STATE_FAILED' || cause.code === 'STATE_CONFLICT')
        ? cause
        : new StateError(`cannot save state of "${pluginId}": ${describe(cause)}; the previous state is kept and the save is retried`, {
            cause,
            pluginId,
          })
    if (this.#failures === 1) logger.error(error.message, error)
    else logger.debug(`save of "${pluginId}" failed again (${this.#failures}x): ${error.message}`)
  }

  /** Stops polling and watching; with `handOver` the state belongs to another instance and is never saved from here again. */
  stop(handOver = false): void {
    clearInterval(this.#timer)
    this.#timer = undefined
    this.#unwatch?.()
    this.#unwatch = undefined
    this.#unexit?.()
    if (!handOver) return
    this.#detached = true
    const ids = handedOverIds(this.#o.store, this.#plugin.pluginId)
    for (const id of this.#savedIds) ids.add(id)
    for (const p of this.#pending) ids.add(p.id)
  }
}

function pick(data: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of fields) if (Object.hasOwn(data, f)) out[f] = data[f]
  return out
}

/** {@link describeError} on one line (a message that spans lines is folded). */
function describe(value: unknown): string {
  return describeError(value).replace(/\s+/g, ' ')
}

/** A JSON replacer that leaves out every secret-named key at any depth (decision 22: state never holds secrets). */
function withoutSecrets(key: string, value: unknown): unknown {
  return key !== '' && isSecretKey(key) ? undefined : value
}
