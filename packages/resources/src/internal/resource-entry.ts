import { describeError, ResourceError, type ResourceOptions } from '@pepperpy/plugin'

/** One resource of a refcounted pool: shared by key, or private to its `owner`. */
export interface ResourceEntry {
  readonly key: string
  /** The holder of a private (`scope: 'plugin'`) resource; undefined when shared. */
  readonly owner: object | undefined
  /** Who holds it; a holder counts once however often it acquired the key. */
  readonly holders: Set<object>
  readonly cleanup: ((resource: never) => void | Promise<void>) | undefined
  value: unknown
  ready: boolean
  closed: boolean
  /** Settles when the factory does; undefined once ready. */
  creating: Promise<unknown> | undefined
}

/** A new entry, not yet created. */
export function newEntry(key: string, owner: object | undefined, options: ResourceOptions<unknown>): ResourceEntry {
  return {
    key,
    owner,
    holders: new Set(),
    cleanup: options.cleanup as ResourceEntry['cleanup'],
    value: undefined,
    ready: false,
    closed: false,
    creating: undefined,
  }
}

/** `resource "key"` or `private resource "key"`, for messages. */
export function describeEntry(entry: ResourceEntry): string {
  return `${entry.owner === undefined ? '' : 'private '}resource "${entry.key}"`
}

/** Runs the entry's cleanup; a failure becomes a ResourceError naming the key. */
export async function runCleanup(entry: ResourceEntry): Promise<void> {
  if (!entry.cleanup) return
  try {
    await (entry.cleanup as (resource: unknown) => void | Promise<void>)(entry.value)
  } catch (error) {
    throw new ResourceError(`cleanup of ${describeEntry(entry)} failed: ${describeError(error)}`, { cause: error })
  }
}

/** Checks the arguments of `acquire`, returning the error to reject with. */
export function invalidAcquire(key: unknown, holder: unknown, options: unknown): ResourceError | undefined {
  if (typeof key !== 'string' || key === '') return new ResourceError(`resource key must be a non-empty string, got ${String(key)}`)
  if (typeof holder !== 'object' || holder === null)
    return new ResourceError(`resource "${key}" needs a holder object (usually the plugin)`)
  const factory = (options as { factory?: unknown } | undefined)?.factory
  if (typeof factory !== 'function')
    return new ResourceError(`resource "${key}" needs a factory function: getResource("${key}", { factory })`)
  return undefined
}
