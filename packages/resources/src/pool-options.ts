import type { Logger } from '@pepperpy/plugin'

// The public types of the bounded pool (createPool, in pool.ts).

/** Options of {@link createPool}. */
export interface PoolOptions<T> {
  /** Creates one resource (a connection, a worker...). Its errors reach the waiting `acquire()`. */
  create: () => T | Promise<T>
  /** Destroys one resource; failures outside `drain()` are logged as warnings. */
  destroy: (resource: T) => void | Promise<void>
  /** Checked on every borrow; a resource it rejects (or that makes it throw) is destroyed and replaced. @default none */
  validate?: (resource: T) => boolean | Promise<boolean>
  /** Resources idle eviction never goes below; created in the background when the pool starts. @default 0 */
  min?: number
  /** Most resources alive at once (available + borrowed + being created). */
  max: number
  /** How long `acquire()` waits before rejecting with a ResourceError; `Infinity` waits forever. @default 30000 */
  acquireTimeoutMs?: number
  /** An available resource idle this long is destroyed (keeping `min`); `Infinity` never evicts. @default 30000 */
  idleTimeoutMs?: number
  /** A resource borrowed this many times is destroyed on release. @default Infinity */
  maxUsesPerResource?: number
  /** Wait before retrying after the first failed `create`; doubles per consecutive failure. @default 100 */
  retryDelayMs?: number
  /** Cap of the retry wait after failed creates. @default 5000 */
  maxRetryDelayMs?: number
  /** Name used in error messages, e.g. `"postgres"`. @default 'pool' */
  name?: string
  /** Where destroy failures outside `drain()` are reported. @default the PepperPy default logger */
  logger?: Logger
}

/** A snapshot of a {@link Pool}. */
export interface PoolStats {
  /** Resources alive: available + borrowed + being validated (creations in flight not included). */
  size: number
  /** Idle resources ready to lend. */
  available: number
  /** Resources lent and not yet released. */
  borrowed: number
  /** `acquire()` calls waiting. */
  pending: number
  /** `create` calls in flight. */
  creating: number
  /** The `min` option. */
  min: number
  /** The `max` option. */
  max: number
  /** Resources created since the pool started. */
  created: number
  /** Resources destroyed since the pool started. */
  destroyed: number
  /** Consecutive failed `create` calls (0 after a success). */
  failedCreates: number
}

/** A bounded pool of connection-like resources (see {@link createPool}). */
export interface Pool<T> {
  /** Borrows a resource, waiting FIFO when none is free. @throws ResourceError on timeout, abort, drain or a failed create */
  acquire(signal?: AbortSignal): Promise<T>
  /** Gives a borrowed resource back. @throws ResourceError when `resource` is not currently lent by this pool */
  release(resource: T): void
  /** Borrows a resource for `fn` and releases it afterwards, also when `fn` throws. */
  use<R>(fn: (resource: T) => R | Promise<R>, signal?: AbortSignal): Promise<R>
  /** Rejects waiters and later acquires, waits for borrowed resources to come back, destroys everything. */
  drain(): Promise<void>
  /** Counts for tests and diagnostics. */
  stats(): PoolStats
}
