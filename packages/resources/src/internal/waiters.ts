import type { ResourceError } from '@pepperpy/plugin'
import { type Deadline, Deadlines } from '@pepperpy/plugin/spi'
import { Queue } from './queue.js'

/** One `acquire()` waiting for a resource. */
export interface Waiter<T> {
  resolve: (value: T) => void
  reject: (error: unknown) => void
  /** Its acquire timeout; undefined when it waits forever. */
  deadline: Deadline | undefined
  signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
  done: boolean
}

/**
 * The FIFO of `acquire()` calls waiting for a resource, with their shared acquire timeout (one
 * timer for all: {@link Deadlines}) and abort signals. Settled waiters stay queued until they reach
 * the front; the queue is emptied whenever nobody waits.
 */
export class Waiters<T> {
  readonly #queue = new Queue<Waiter<T>>()
  readonly #timeouts: Deadlines | undefined
  readonly #onTimeout: (w: Waiter<T>) => void
  #count = 0

  /**
   * @param timeoutMs - how long each waits; `Infinity` for ever
   * @param onTimeout - called for a waiter whose time is up (it is still waiting: reject it)
   */
  constructor(timeoutMs: number, onTimeout: (w: Waiter<T>) => void) {
    this.#timeouts = timeoutMs === Infinity ? undefined : new Deadlines(timeoutMs)
    this.#onTimeout = onTimeout
  }

  /** Waiters not yet settled. */
  get count(): number {
    return this.#count
  }

  /** Queues a waiter; `signal` aborting rejects it with `aborted()`. */
  wait(signal: AbortSignal | undefined, aborted: () => ResourceError): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const w: Waiter<T> = { resolve, reject, deadline: undefined, signal, onAbort: undefined, done: false }
      w.deadline = this.#timeouts?.add(this.#onTimeout, w)
      if (signal !== undefined) {
        w.onAbort = () => this.reject(w, aborted())
        signal.addEventListener('abort', w.onAbort, { once: true })
      }
      this.#queue.push(w)
      this.#count++
    })
  }

  /** The oldest waiter still waiting, taken out (settled: its timeout and abort listener dropped). */
  next(): Waiter<T> | undefined {
    for (let w = this.#queue.shift(); w !== undefined; w = this.#queue.shift()) if (this.#settle(w)) return w
    return undefined
  }

  /** Rejects `w` unless it already settled. */
  reject(w: Waiter<T>, error: ResourceError): void {
    if (this.#settle(w)) w.reject(error)
  }

  /** Rejects every waiter. */
  rejectAll(error: () => ResourceError): void {
    for (const w of this.#queue.drain()) this.reject(w, error())
  }

  #settle(w: Waiter<T>): boolean {
    if (w.done) return false
    w.done = true
    w.deadline?.cancel()
    if (w.onAbort !== undefined) w.signal?.removeEventListener('abort', w.onAbort)
    if (--this.#count === 0) this.#queue.drain()
    return true
  }
}
