// Small text helpers shared by every package of the system (exported from @pepperpy/plugin/spi).
import { describeError } from './errors.js'

/**
 * The description of a thrown value.
 * @deprecated use `describeError` from `@pepperpy/plugin`, which this is (one helper for the job)
 */
export const messageOf: (value: unknown) => string = describeError

/** The first line of a message (or of a thrown value's {@link describeError | description}). */
export function firstLine(value: unknown): string {
  return (typeof value === 'string' ? value : describeError(value)).split('\n')[0] ?? ''
}

/** `type/provider`. */
export function pluginIdOf(type: string, provider: string): string {
  return `${type}/${provider}`
}

/** Orders strings by UTF-16 code units, the same on every machine (unlike `localeCompare`). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
