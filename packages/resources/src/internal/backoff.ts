/**
 * Capped exponential backoff after failed creates, on the monotonic clock: the wait doubles per
 * consecutive failure from `retryDelayMs` up to `maxRetryDelayMs`; a success resets it.
 */
export class Backoff {
  /** Consecutive failures (0 after a success). */
  failures = 0
  /** The last failure's error. */
  lastError: unknown
  readonly #delayMs: number
  readonly #maxDelayMs: number
  /** `performance.now()` time before which nothing new starts. */
  #until = 0
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(delayMs: number, maxDelayMs: number) {
    this.#delayMs = delayMs
    this.#maxDelayMs = maxDelayMs
  }

  /** Records a failure; the next attempt waits longer. */
  failed(error: unknown): void {
    this.failures++
    this.lastError = error
    this.#until = performance.now() + Math.min(this.#delayMs * 2 ** (this.failures - 1), this.#maxDelayMs)
  }

  /** Records a success: no wait any more. */
  succeeded(): void {
    this.failures = 0
    this.lastError = undefined
    this.#until = 0
  }

  /** True when an attempt may start now. */
  ready(): boolean {
    return this.#until <= performance.now()
  }

  /** True while attempts must wait; then `retry` is called (once) when the wait is over. */
  waiting(retry: () => void): boolean {
    const wait = this.#until - performance.now()
    if (wait <= 0) return false
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined
      this.#until = 0 // the timer firing proves the wait is over, whatever the clock says
      retry()
    }, Math.ceil(wait))
    return true
  }

  /** Drops a scheduled retry. */
  clear(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
