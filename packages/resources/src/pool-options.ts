import type { Logger } from '@pepperpy/plugin'

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
