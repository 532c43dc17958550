import { describeError, ResourceError } from '@pepperpy/plugin'
import type { Backoff } from './backoff.js'
import type { PoolConfig } from './pool-config.js'

/** The error of an acquire that timed out, saying why: failing creates, a full pool, or a slow create. */
export function timeoutError(
  cfg: Pick<PoolConfig<unknown>, 'label' | 'acquireTimeoutMs' | 'max'>,
  backoff: Backoff,
  now: { full: boolean; lent: number; creating: number },
): ResourceError {
  const head = `${cfg.label}: acquire timed out after ${cfg.acquireTimeoutMs} ms`
  if (backoff.failures > 0) {
    const why = `creating a resource failed ${backoff.failures} time(s) in a row (last error: ${describeError(backoff.lastError)}); check what create() connects to`
    return new ResourceError(`${head}: ${why}`, { cause: backoff.lastError })
  }
  const why = now.full
    ? `the pool is full (max ${cfg.max}, ${now.lent} borrowed) and nothing was released in time; release resources (pool.use() does it for you) or raise max`
    : `a resource is still being created (${now.creating} in flight); create() is slow or hanging`
  return new ResourceError(`${head}: ${why}`)
}

/** The error of a `drain()` whose destroys failed, with every failure in an AggregateError. */
export function drainError(label: string, errors: unknown[]): ResourceError {
  const summary = `${label}: drain could not destroy ${errors.length} resource(s)`
  return new ResourceError(`${summary}: ${errors.map(describeError).join('; ')}`, { cause: new AggregateError(errors, summary) })
}

/** create() returned a resource the pool already holds (lending it would give it to two holders). */
export function duplicateError(label: string): ResourceError {
  return new ResourceError(`${label}: create() returned a resource the pool already holds; return a new resource from each call`)
}

/** The error a waiter gets when the create made for it failed. */
export function createError(label: string, error: unknown): ResourceError {
  return new ResourceError(`${label} could not create a resource: ${describeError(error)}`, { cause: error })
}
