import { randomBytes } from 'node:crypto'
import { StateError, type AcquireLeaseOptions, type Lease, type LeaseProvider } from '@pepperpy/plugin'
import { Connection, DEFAULT_URL, makeClient, type RedisClientLike, safeUrl, withTimeout } from './redis-client.js'
import { ACQUIRE, RELEASE, RENEW } from './scripts.js'

/** Options of {@link RedisLeaseProvider}. */
export interface RedisLeaseProviderOptions {
  /** Server address. @default redis://127.0.0.1:6379 */
  url?: string
  /** A node-redis client to use instead of opening one (it is not closed by `close()`). */
  client?: RedisClientLike
  /** How long a lease lives without renewal: a dead holder blocks the others this long at most. @default 10000 */
  ttlMs?: number
  /** Prepended to lease and counter keys. @default 'pepperpy:lease:' */
  prefix?: string
}

/**
 * Leases in Redis (one holder per name across the fleet) with fencing tokens from `INCR`: every
 * new holder gets a larger token. A held lease is renewed every `ttlMs / 3`; when a renewal is
 * refused, or none is confirmed within 70% of `ttlMs` (Redis away or stalled), `lease.lost`
 * fires while the lease can still not have expired on the server, so the holder stops before
 * another one can start. Waiting processes retry every `ttlMs / 5`.
 */
export class RedisLeaseProvider implements LeaseProvider {
  /** The lease time to live. */
  readonly ttlMs: number
  readonly prefix: string
  readonly #conn: Connection
  readonly #url: string
  readonly #held = new Set<Lease>()

  constructor(options: RedisLeaseProviderOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10_000
    if (!(this.ttlMs >= 100)) throw new RangeError(`RedisLeaseProvider: ttlMs must be at least 100 (got ${options.ttlMs})`)
    this.prefix = options.prefix ?? 'pepperpy:lease:'
    this.#url = options.url ?? DEFAULT_URL
    this.#conn = new Connection(options.client ?? makeClient(this.#url, this.ttlMs), !options.client)
  }

  /** `RedisLeaseProvider(redis://host:port)`. */
  toString(): string {
    return `RedisLeaseProvider(${safeUrl(this.#url)})`
  }

  #eval(script: string, keys: string[], args: string[], ms: number): Promise<unknown> {
    return withTimeout(
      ms,
      async () => {
        await this.#conn.ready()
        return this.#conn.client.sendCommand(['EVAL', script, String(keys.length), ...keys, ...args])
      },
      () => new StateError(`${this}: Redis did not answer within ${ms} ms`),
    )
  }

  /**
   * Waits until this process holds `name` (retrying every `ttlMs / 5`, also while Redis is away).
   * @returns the lease; its `token` is larger than every earlier holder's
   */
  async acquire(name: string, options: AcquireLeaseOptions = {}): Promise<Lease> {
    const owner = `${process.pid}-${randomBytes(6).toString('hex')}`
    const key = `${this.prefix}${name}`
    for (;;) {
      options.signal?.throwIfAborted()
      const started = Date.now()
      const token = await this.#eval(ACQUIRE, [key, `${key}:fence`], [owner, String(this.ttlMs)], this.ttlMs / 2).catch(() => null)
      const usable = typeof token === 'number' && Date.now() - started < this.ttlMs * 0.5 && !options.signal?.aborted
      if (usable) return this.#hold(name, key, `${owner} ${token}`, token, started)
      // got it too late to be safe, or nobody wants it any more: give it back at once
      if (typeof token === 'number') await this.#eval(RELEASE, [key], [`${owner} ${token}`], this.ttlMs).catch(() => {})
      options.signal?.throwIfAborted()
      await sleep(this.ttlMs / 5, options.signal)
    }
  }

  #hold(name: string, key: string, holder: string, token: number, since: number): Lease {
    const lost = new AbortController()
    let confirmedAt = since
    let released = false
    const lose = (why: string): void => {
      if (released || lost.signal.aborted) return
      stop()
      lost.abort(new StateError(`lease "${name}" (token ${token}) lost: ${why}`))
    }
    const deadline = (): NodeJS.Timeout => {
      const t = setTimeout(
        () => lose(`no renewal confirmed by ${this} within ${Math.round(this.ttlMs * 0.7)} ms`),
        confirmedAt + this.ttlMs * 0.7 - Date.now(),
      )
      t.unref()
      return t
    }
    let expiry = deadline()
    const renew = setInterval(() => {
      const started = Date.now()
      this.#eval(RENEW, [key], [holder, String(this.ttlMs)], this.ttlMs / 3)
        .then((ok) => {
          if (Number(ok) !== 1) return lose('another holder has it (it expired)')
          confirmedAt = started
          clearTimeout(expiry)
          expiry = deadline()
        })
        .catch(() => {}) // the deadline decides
    }, this.ttlMs / 3)
    renew.unref()
    const stop = (): void => {
      clearInterval(renew)
      clearTimeout(expiry)
      this.#held.delete(lease)
    }
    const lease: Lease = {
      name,
      token,
      lost: lost.signal,
      release: async () => {
        if (released) return
        released = true
        stop()
        await this.#eval(RELEASE, [key], [holder], this.ttlMs).catch(() => {}) // it expires by itself otherwise
      },
    }
    this.#held.add(lease)
    return lease
  }

  /** Releases every lease held through this provider and closes the connection it opened. */
  async close(): Promise<void> {
    await Promise.all([...this.#held].map((l) => l.release()))
    await this.#conn.close()
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms * (0.75 + Math.random() / 2))
    function done(): void {
      signal?.removeEventListener('abort', abort)
      resolve()
    }
    function abort(): void {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', abort, { once: true })
  })
}
