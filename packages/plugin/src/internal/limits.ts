import { Deadlines } from '../deadlines.js'

const shared = new Map<number, Deadlines>()

/** The process-wide {@link Deadlines} for deadlines of `ms` (one timer per distinct length). */
export function deadlinesFor(ms: number): Deadlines {
  let d = shared.get(ms)
  if (!d) shared.set(ms, (d = new Deadlines(ms)))
  return d
}

/**
 * `run`, or the error `onTimeout()` returns when `ms` pass first (the work goes on; its late result is ignored).
 * @param run - the work to bound
 * @param ms - the limit; undefined or Infinity: no limit
 * @param onTimeout - makes the rejection (called once, when the limit passes)
 * @returns a promise settled by whichever comes first
 */
export function withLimit<T>(run: Promise<T>, ms: number | undefined, onTimeout: () => unknown): Promise<T> {
  if (ms === undefined || !Number.isFinite(ms)) return run
  return new Promise<T>((resolve, reject) => {
    const deadline = deadlinesFor(ms).add(() => reject(onTimeout()))
    run.then(
      (value) => {
        if (deadline.cancel()) resolve(value)
      },
      (error: unknown) => {
        if (deadline.cancel()) reject(error)
      },
    )
  })
}
