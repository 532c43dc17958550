import {
  describeError,
  StateConflictError,
  StateError,
  type SaveStateOptions,
  type StateListener,
  type StateStore,
  type StoredState,
} from '@pepperpy/plugin'
import { Connection, DEFAULT_URL, makeClient, type RedisClientLike, safeUrl, withTimeout } from './redis-client.js'
import { SAVE, SAVE_SHA } from './scripts.js'

/** Options of {@link RedisStateStore}. */
export interface RedisStateStoreOptions {
  /** Server address (`redis://[user:password@]host:port[/db]`). @default redis://127.0.0.1:6379 */
  url?: string
  /** A node-redis client to use instead of opening one (it is not closed by `close()`). */
  client?: RedisClientLike
  /** Prepended to every key and to the change channel. @default 'pepperpy:state:' */
  prefix?: string
  /** Longest wait for Redis per operation; then a `StateError`. @default 5000 */
  timeoutMs?: number
  /** How often `watch` re-reads a key, for changes whose notification was missed (pub/sub is at-most-once). @default 1000 */
  watchIntervalMs?: number
}

const FORMAT = 1

/**
 * Plugin state in Redis, shared by every process and machine that uses the same server and prefix.
 * Each key is a hash `{ format, rev, body, w }`; a save is one Lua script (revision check, write,
 * change notification), so `expectedRevision` is checked atomically. Every operation is bounded by
 * `timeoutMs` and fails with a `StateError` naming the plugin and the store; the client reconnects
 * by itself, and persistent plugins retry their saves until Redis is back.
 */
export class RedisStateStore implements StateStore {
  /** The key prefix. */
  readonly prefix: string
  readonly #conn: Connection
  readonly #url: string
  readonly #timeoutMs: number
  readonly #watchMs: number
  #sub: Connection | undefined
  readonly #watchers = new Map<string, Set<() => void>>()
  readonly #timers = new Set<NodeJS.Timeout>()

  constructor(options: RedisStateStoreOptions = {}) {
    this.#url = options.url ?? DEFAULT_URL
    this.prefix = options.prefix ?? 'pepperpy:state:'
    this.#timeoutMs = options.timeoutMs ?? 5000
    this.#watchMs = options.watchIntervalMs ?? 1000
    this.#conn = new Connection(options.client ?? makeClient(this.#url, this.#timeoutMs), !options.client)
  }

  /** `RedisStateStore(redis://host:port, prefix "...")` (no password), as named in errors. */
  toString(): string {
    return `RedisStateStore(${safeUrl(this.#url)}, prefix "${this.prefix}")`
  }

  #op<T>(key: string, what: string, run: (client: RedisClientLike) => Promise<T>): Promise<T> {
    const client = this.#conn.client
    return withTimeout(
      this.#timeoutMs,
      () => (client.isOpen ? run(client) : this.#conn.ready().then(() => run(client))),
      () => {
        const last = this.#conn.lastError ? ` (last connection error: ${this.#conn.lastError.message})` : ''
        return new StateError(`${what} state of "${key}" in ${this}: Redis did not answer within ${this.#timeoutMs} ms${last}`, {
          pluginId: key,
        })
      },
    ).catch((error: unknown) => {
      if (error instanceof StateError) throw error
      throw new StateError(`${what} state of "${key}" in ${this} failed: ${describeError(error)}`, { cause: error, pluginId: key })
    })
  }

  /** EVALSHA of the save script, loading it on NOSCRIPT (a restarted or flushed server). */
  async #evalSave(client: RedisClientLike, args: string[]): Promise<unknown> {
    try {
      return await client.sendCommand(['EVALSHA', SAVE_SHA, ...args])
    } catch (error) {
      if (!/NOSCRIPT/.test(describeError(error))) throw error
      return client.sendCommand(['EVAL', SAVE, ...args])
    }
  }

  /**
   * The state saved for `key`, or undefined.
   * @throws StateError when Redis does not answer, or the key holds something that is not PepperPy state or was written by a newer version
   */
  async load(key: string): Promise<StoredState | undefined> {
    const reply = await this.#op(key, 'loading', (c) => c.sendCommand(['HMGET', this.prefix + key, 'format', 'rev', 'body', 'w'])).catch(
      (error: StateError) => {
        throw /WRONGTYPE/.test(error.message) ? this.#garbage(key, 'a value of another type') : error
      },
    )
    const [format, rev, body, w] = reply as (string | null)[]
    if (format === null || format === undefined) {
      if (body === null || body === undefined) return undefined
      throw this.#garbage(key, 'a hash without a format field')
    }
    if (!/^\d+$/.test(format)) throw this.#garbage(key, `format "${format}"`)
    if (Number(format) > FORMAT)
      throw new StateError(
        `state of "${key}" in ${this} was written by a newer @pepperpy/redis (format ${format}, this one reads ${FORMAT}); upgrade @pepperpy/redis here`,
        { pluginId: key },
      )
    let parsed: { version?: unknown; data?: unknown; savedAt?: unknown }
    try {
      parsed = JSON.parse(body ?? '') as typeof parsed
    } catch {
      throw this.#garbage(key, 'a body that is not JSON')
    }
    if (typeof parsed?.version !== 'number' || typeof parsed.data !== 'object' || parsed.data === null || Array.isArray(parsed.data))
      throw this.#garbage(key, 'a body that is not a { version, data } envelope')
    return {
      version: parsed.version,
      data: parsed.data as Record<string, unknown>,
      ...(typeof parsed.savedAt === 'string' ? { savedAt: parsed.savedAt } : {}),
      revision: Number(rev ?? 0),
      writeIds: (w ?? '').split(' ').filter(Boolean),
    }
  }

  #garbage(key: string, what: string): StateError {
    return new StateError(
      `key "${this.prefix}${key}" in ${this} holds ${what}, not PepperPy state; delete the key or choose another prefix (the stored value is left alone)`,
      { pluginId: key },
    )
  }

  /**
   * Saves `state` atomically (one Lua script).
   * @throws StateConflictError when `options.expectedRevision` is not the stored revision
   * @throws StateError on a timeout or a key that does not hold PepperPy state
   */
  async save(key: string, state: StoredState, options: SaveStateOptions = {}): Promise<void> {
    const body = JSON.stringify({ version: state.version, data: state.data, savedAt: state.savedAt ?? new Date().toISOString() })
    const expected = options.expectedRevision === undefined ? '' : String(options.expectedRevision)
    const args = ['2', this.prefix + key, `${this.prefix}changes`, body, expected, options.writeId ?? '', key]
    const reply = await this.#op(key, 'saving', (c) => this.#evalSave(c, args)).catch((error: StateError) => {
      if (/WRONGTYPE/.test(error.message)) throw this.#garbage(key, 'a value of another type')
      if (/PEPPERPY_NEWER/.test(error.message))
        throw new StateError(
          `state of "${key}" in ${this} was written by a newer @pepperpy/redis; upgrade @pepperpy/redis here (nothing was saved)`,
          {
            pluginId: key,
          },
        )
      throw error
    })
    const [ok, revision] = (reply as number[]).map(Number)
    if (ok !== 1)
      throw new StateConflictError(
        `state of "${key}" in ${this} changed meanwhile (revision ${revision}, expected ${expected}); reload and merge`,
        { pluginId: key, expectedRevision: Number(expected), ...(revision === undefined ? {} : { actualRevision: revision }) },
      )
  }

  /** Deletes `key`'s state. */
  async delete(key: string): Promise<void> {
    await this.#op(key, 'deleting', async (c) => {
      await c.sendCommand(['DEL', this.prefix + key])
      await c.sendCommand(['PUBLISH', `${this.prefix}changes`, key])
    })
  }

  /**
   * Reports saves of `key` by any process: a pub/sub notification, and a re-read every
   * `watchIntervalMs` that catches notifications lost while disconnected.
   */
  watch(key: string, listener: StateListener): () => void {
    let last: number | undefined
    let busy = false
    const check = (): void => {
      if (busy) return
      busy = true
      this.load(key)
        .then((state) => {
          const rev = state?.revision ?? 0
          if (last !== undefined && rev !== last) listener(state)
          last = rev
        })
        .catch(() => {}) // Redis away: the next check or notification retries
        .finally(() => (busy = false))
    }
    let set = this.#watchers.get(key)
    if (!set) this.#watchers.set(key, (set = new Set()))
    set.add(check)
    this.#subscribe()
    check()
    const timer = setInterval(check, this.#watchMs)
    timer.unref()
    this.#timers.add(timer)
    return () => {
      clearInterval(timer)
      this.#timers.delete(timer)
      set.delete(check)
    }
  }

  #subscribe(): void {
    if (this.#sub) return
    const sub = new Connection(this.#conn.client.duplicate(), true)
    this.#sub = sub
    void sub
      .ready()
      .then(() =>
        sub.client.subscribe(`${this.prefix}changes`, (key) => {
          for (const check of this.#watchers.get(key) ?? []) check()
        }),
      )
      .catch(() => {
        if (this.#sub === sub) this.#sub = undefined // the periodic re-read still works; a later watch() tries again
      })
  }

  /** Closes the connections this store opened (not a `client` passed in). */
  async close(): Promise<void> {
    for (const set of this.#watchers.values()) set.clear()
    for (const timer of this.#timers) clearInterval(timer)
    this.#timers.clear()
    await Promise.all([this.#conn.close(), this.#sub?.close()])
    this.#sub = undefined
  }
}
