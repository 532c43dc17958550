/** One `acquire()` waiting for a resource. */
export interface Waiter<T> {
  resolve: (value: T) => void
  reject: (error: unknown) => void
  /** When it times out (`performance.now()` time; Infinity: never). */
  deadline: number
  signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
  done: boolean
}

/** Marks `w` settled and drops its abort listener; false when it already was. */
export function settleWaiter<T>(w: Waiter<T>): boolean {
  if (w.done) return false
  w.done = true
  if (w.onAbort !== undefined) w.signal?.removeEventListener('abort', w.onAbort)
  return true
}
