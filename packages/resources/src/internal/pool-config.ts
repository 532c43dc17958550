import { createLogger, ResourceError, type Logger } from '@pepperpy/plugin'
import type { PoolOptions } from '../pool-options.js'

/** Pool options with defaults applied and checked. */
export interface PoolConfig<T> {
  create: () => T | Promise<T>
  destroy: (resource: T) => void | Promise<void>
  validate: ((resource: T) => boolean | Promise<boolean>) | undefined
  min: number
  max: number
  acquireTimeoutMs: number
  idleTimeoutMs: number
  maxUses: number
  retryDelayMs: number
  maxRetryDelayMs: number
  label: string
  logger: Logger
}

function check(label: string, name: string, value: number, min: number, integer: boolean): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || (integer && value !== Infinity && !Number.isInteger(value))) {
    throw new ResourceError(`${label}: option ${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${String(value)}`)
  }
  return value
}

/** Applies defaults to `options` and checks them. @throws ResourceError for a bad option */
export function poolConfig<T>(options: PoolOptions<T>): PoolConfig<T> {
  const label = `pool "${options.name ?? 'pool'}"`
  if (typeof options.create !== 'function') throw new ResourceError(`${label}: option create must be a function`)
  if (typeof options.destroy !== 'function') throw new ResourceError(`${label}: option destroy must be a function`)
  const max = check(label, 'max', options.max, 1, true)
  if (max === Infinity) throw new ResourceError(`${label}: option max must be finite`)
  const min = check(label, 'min', options.min ?? 0, 0, true)
  if (min > max) throw new ResourceError(`${label}: option min (${min}) is larger than max (${max})`)
  return {
    create: options.create,
    destroy: options.destroy,
    validate: options.validate,
    min,
    max,
    acquireTimeoutMs: check(label, 'acquireTimeoutMs', options.acquireTimeoutMs ?? 30_000, 0, false),
    idleTimeoutMs: check(label, 'idleTimeoutMs', options.idleTimeoutMs ?? 30_000, 0, false),
    maxUses: check(label, 'maxUsesPerResource', options.maxUsesPerResource ?? Infinity, 1, true),
    retryDelayMs: check(label, 'retryDelayMs', options.retryDelayMs ?? 100, 0, false),
    maxRetryDelayMs: check(label, 'maxRetryDelayMs', options.maxRetryDelayMs ?? 5_000, 0, false),
    label,
    logger: options.logger ?? createLogger({ name: 'pepperpy:resources' }),
  }
}
