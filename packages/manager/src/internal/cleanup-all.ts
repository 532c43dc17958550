import { describeError } from '@pepperpy/plugin'
import { fromPromise, runGraph } from './scheduler.js'

/** One failed cleanup. */
export interface CleanupFailure {
  id: string
  error: unknown
}

/**
 * Cleans up every id, each one after the ids in `dependentsOf(id)` (dependents first), independent
 * ones concurrently. Every id is attempted, also those left waiting by a cycle; returns all failures.
 */
export async function cleanupAll(
  ids: readonly string[],
  dependentsOf: ReadonlyMap<string, readonly string[]>,
  clean: (id: string) => Promise<void>,
): Promise<CleanupFailure[]> {
  const failures: CleanupFailure[] = []
  const attempted = new Set<string>()
  const attempt = async (id: string): Promise<void> => {
    attempted.add(id)
    try {
      await clean(id)
    } catch (error) {
      failures.push({ id, error })
    }
  }
  await runGraph(
    ids.map((id) => ({ id, after: dependentsOf.get(id) ?? [] })),
    fromPromise(attempt),
  )
  await Promise.all(ids.filter((id) => !attempted.has(id)).map(attempt))
  return failures
}

/** One error for every failed cleanup; its message lists each `pluginId: message`. */
export function cleanupError(failures: readonly CleanupFailure[]): AggregateError {
  const list = failures.map((f) => `${f.id}: ${describeError(f.error)}`).join('; ')
  return new AggregateError(
    failures.map((f) => f.error),
    `cleanup failed for ${failures.length} plugin(s): ${list}. The other plugins were cleaned up.`,
  )
}
