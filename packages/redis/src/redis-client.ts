import { createClient } from 'redis'

/** The part of a node-redis client (v4 to v6) the stores use; pass your own `client` to share a connection. */
export interface RedisClientLike {
  readonly isOpen: boolean
  connect(): Promise<unknown>
  sendCommand(args: string[]): Promise<unknown>
  duplicate(): RedisClientLike
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>
  on(event: 'error', listener: (error: Error) => void): unknown
  quit?(): Promise<unknown>
  close?(): Promise<unknown>
  destroy?(): unknown
  disconnect?(): Promise<unknown>
}

/** The default server. */
export const DEFAULT_URL = 'redis://127.0.0.1:6379'

/** A client for `url` that reconnects by itself (every 50 ms to 1 s) and never crashes the process on a connection error. */
export function makeClient(url: string, connectTimeoutMs: number): RedisClientLike {
  return createClient({
    url,
    socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000) },
  }) as unknown as RedisClientLike
}

/** Ends a client's connection whatever its version calls it. */
export async function closeClient(client: RedisClientLike): Promise<void> {
  if (!client.isOpen) {
    client.destroy?.()
    return
  }
  const polite = client.close ? client.close() : client.quit ? client.quit() : (client.disconnect?.() ?? Promise.resolve())
  // a stalled server never answers QUIT: give up waiting after a second
  await withTimeout(
    1000,
    () => polite,
    () => new Error('close timed out'),
  ).catch(() => client.destroy?.())
}

/** `url` without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString().replace(/\/$/, '')
  } catch {
    return '<invalid url>'
  }
}

/**
 * A connection kept open on demand: `ready()` connects once (again after a failed attempt) and
 * remembers the last connection error for messages.
 */
export class Connection {
  readonly client: RedisClientLike
  readonly owned: boolean
  lastError: Error | undefined
  #connecting: Promise<unknown> | undefined

  constructor(client: RedisClientLike, owned: boolean) {
    this.client = client
    this.owned = owned
    client.on('error', (error) => void (this.lastError = error))
  }

  /** Connects unless open or connecting. */
  ready(): Promise<unknown> {
    if (this.client.isOpen) return Promise.resolve()
    this.#connecting ??= this.client.connect().catch((error: unknown) => {
      this.#connecting = undefined
      throw error
    })
    return this.#connecting
  }

  /** Closes the connection when this package opened it. */
  async close(): Promise<void> {
    if (this.owned) await closeClient(this.client)
  }
}

/**
 * Runs `fn` and rejects with `timeoutError()` when it takes longer than `ms` (the command may
 * still reach Redis later; callers make writes idempotent).
 */
export function withTimeout<T>(ms: number, fn: () => Promise<T>, timeoutError: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timeoutError()), ms)
    timer.unref?.()
    fn().then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}
