/** One unit of work with the ids it must wait for. */
export interface Task {
  id: string
  /** Ids (within the same run) that must finish first. */
  after: readonly string[]
}

/** Reports the end of one task: no argument for success, `{ error }` for a failure. */
export type Done = (failure?: { error: unknown }) => void

/** Adapts a promise-returning function to the callback form {@link runGraph} takes. */
export const fromPromise =
  (work: (id: string) => Promise<void>) =>
  (id: string, done: Done): void => {
    work(id).then(
      () => done(),
      (error: unknown) => done({ error }),
    )
  }

/** What a run did: ids completed in completion order, and the first failure. */
export interface RunResult {
  completed: string[]
  failed?: { id: string; error: unknown }
}

/**
 * Runs `work(id)` for every task as soon as the tasks it waits for are done (not level by level),
 * at most `concurrency` at once. After the first failure nothing new starts; running work finishes.
 * `work` reports through a callback, not a promise: one promise less per task when booting thousands.
 */
export function runGraph(
  tasks: readonly Task[],
  work: (id: string, done: Done) => void,
  concurrency: number = Infinity,
): Promise<RunResult> {
  const waiting = new Map<string, number>()
  const dependents = new Map<string, string[]>()
  for (const t of tasks) waiting.set(t.id, 0)
  for (const t of tasks) {
    for (const dep of t.after) {
      if (!waiting.has(dep)) continue
      waiting.set(t.id, waiting.get(t.id)! + 1)
      const list = dependents.get(dep)
      if (list) list.push(t.id)
      else dependents.set(dep, [t.id])
    }
  }
  const ready: string[] = []
  let head = 0
  for (const t of tasks) if (waiting.get(t.id) === 0) ready.push(t.id)
  const result: RunResult = { completed: [] }
  let running = 0
  return new Promise((resolve) => {
    const pump = (): void => {
      while (!result.failed && running < concurrency && head < ready.length) {
        const id = ready[head++]!
        running++
        let reported = false
        work(id, (failure) => {
          if (reported) return // a second report of one task is ignored
          reported = true
          running--
          if (failure) result.failed ??= { id, error: failure.error }
          else {
            result.completed.push(id)
            for (const next of dependents.get(id) ?? []) {
              const left = waiting.get(next)! - 1
              waiting.set(next, left)
              if (left === 0) ready.push(next)
            }
          }
          pump()
        })
      }
      if (running === 0 && (result.failed || head >= ready.length)) resolve(result)
    }
    pump()
  })
}
