// Just over 300 lines: the pool class (acquire, release, validation, idle eviction, drain) with its
// state named in one place; waiters, backoff and errors live in internal/.
import { describeError, ResourceError } from '@pepperpy/plugin'
import { Backoff } from './internal/backoff.js'
import { createError, drainError, duplicateError, timeoutError } from './internal/pool-errors.js'
import { poolConfig, type PoolConfig } from './internal/pool-config.js'
import { notifyPoolCreated } from './internal/pool-observers.js'
import { type Waiter, Waiters } from './internal/waiters.js'
import type { Pool, PoolOptions, PoolStats } from './pool-options.js'

/**
 * Creates a bounded pool: lazy creation up to `max`, FIFO waiters, acquire timeouts and abort
 * signals, validation on borrow, idle eviction down to `min`, and failed creates retried with
 * capped exponential backoff (never a hot loop).
 * @example
 * const pool = createPool({ create: () => connect(url), destroy: (c) => c.end(), max: 10 })
 * const rows = await pool.use((conn) => conn.query('select 1'))
 * await pool.drain()
 * @param options - see {@link PoolOptions}
 * @returns the pool; it creates `min` resources in the background right away
 * @throws ResourceError for invalid options
 */
export function createPool<T>(options: PoolOptions<T>): Pool<T> {
  return new BoundedPool(poolConfig(options))
}

/** One resource the pool holds. */
interface Slot<T> {
  readonly value: T
  uses: number
  /** `performance.now()` when it was last shelved. */
  idleSince: number
}

/** Set once `drain()` is called. */
interface Draining {
  readonly promise: Promise<void>
  readonly errors: unknown[]
  finish: (() => void) | undefined
}

/** The pool behind {@link createPool}; every time is on the monotonic clock. */
class BoundedPool<T> implements Pool<T> {
  readonly #cfg: PoolConfig<T>
  /** Available resources, oldest first; lent from the end (the most recently used). */
  readonly #idle: Slot<T>[] = []
  readonly #lent = new Map<T, Slot<T>>()
  /** Every resource held (available, lent, being validated): a create() returning one again is refused. */
  readonly #members = new Set<T>()
  readonly #waiters: Waiters<T>
  /** Evicts idle resources; armed while some are available (unref'd: it never keeps the process alive). */
  #reaper: ReturnType<typeof setTimeout> | undefined
  #creating = 0
  #validating = 0
  #destroying = 0
  #created = 0
  #destroyed = 0
  readonly #backoff: Backoff
  #draining: Draining | undefined

  constructor(cfg: PoolConfig<T>) {
    this.#cfg = cfg
    this.#backoff = new Backoff(cfg.retryDelayMs, cfg.maxRetryDelayMs)
    this.#waiters = new Waiters(cfg.acquireTimeoutMs, (w) => this.#timeOut(w))
    this.#fillMin()
    notifyPoolCreated(this, () => this.#draining === undefined)
  }

  acquire(signal?: AbortSignal): Promise<T> {
    const { label } = this.#cfg
    if (this.#draining) return Promise.reject(new ResourceError(`${label} is drained; acquire() is refused. Create a new pool.`))
    if (signal?.aborted) return Promise.reject(new ResourceError(`${label}: acquire aborted`, { cause: signal.reason }))
    if (this.#waiters.count === 0) {
      const ready = this.#lendAvailableNow()
      if (ready !== undefined) return Promise.resolve(this.#lend(ready))
    }
    const waiting = this.#waiters.wait(signal, () => new ResourceError(`${label}: acquire aborted`, { cause: signal?.reason }))
    this.#dispense()
    this.#fillMin()
    return waiting
  }

  release(resource: T): void {
    const slot = this.#lent.get(resource)
    if (slot === undefined)
      throw new ResourceError(`${this.#cfg.label}: release() got a resource this pool did not lend, or one already released`)
    this.#lent.delete(resource)
    if (this.#draining) return this.#destroy(slot)
    if (slot.uses >= this.#cfg.maxUses) {
      this.#destroy(slot)
      this.#dispense()
      return this.#fillMin()
    }
    if (this.#waiters.count === 0) return this.#shelve(slot)
    this.#checkout(slot)
    this.#dispense()
  }

  async use<R>(fn: (resource: T) => R | Promise<R>, signal?: AbortSignal): Promise<R> {
    const resource = await this.acquire(signal)
    try {
      return await fn(resource)
    } finally {
      this.release(resource)
    }
  }

  drain(): Promise<void> {
    if (this.#draining) return this.#draining.promise
    const errors: unknown[] = []
    let finish: (() => void) | undefined
    const promise = new Promise<void>((resolve, reject) => {
      finish = () => (errors.length === 0 ? resolve() : reject(drainError(this.#cfg.label, errors)))
    })
    this.#draining = { promise, errors, finish }
    this.#backoff.clear()
    clearTimeout(this.#reaper)
    this.#waiters.rejectAll(() => new ResourceError(`${this.#cfg.label} is draining; this acquire() was cancelled`))
    for (const slot of this.#idle.splice(0)) this.#destroy(slot)
    this.#checkDrained()
    return promise
  }

  stats(): PoolStats {
    return {
      size: this.#members.size,
      available: this.#idle.length,
      borrowed: this.#lent.size,
      pending: this.#waiters.count,
      creating: this.#creating,
      min: this.#cfg.min,
      max: this.#cfg.max,
      created: this.#created,
      destroyed: this.#destroyed,
      failedCreates: this.#backoff.failures,
    }
  }

  /** Resources counted against `max`: held ones and creations in flight. */
  #size(): number {
    return this.#members.size + this.#creating
  }

  #lend(slot: Slot<T>): T {
    slot.uses++
    this.#lent.set(slot.value, slot)
    return slot.value
  }

  /** An available resource that passes a synchronous `validate` (failing ones destroyed); an asynchronous verdict is awaited for the next waiter. */
  #lendAvailableNow(): Slot<T> | undefined {
    for (let slot = this.#idle.pop(); slot !== undefined; slot = this.#idle.pop()) {
      const verdict = this.#verdict(slot)
      if (verdict === true) return slot
      if (verdict === false) this.#destroy(slot)
      else return void this.#awaitVerdict(slot, verdict)
    }
    return undefined
  }

  /** `validate(resource)`; true without a validator, false when it throws. */
  #verdict(slot: Slot<T>): boolean | Promise<boolean> {
    try {
      const verdict = this.#cfg.validate?.(slot.value) ?? true
      return typeof verdict === 'object' && verdict !== null ? verdict : Boolean(verdict)
    } catch {
      return false
    }
  }

  /** Hands `slot` to the next waiter, validating it first when `validate` is set. */
  #checkout(slot: Slot<T>): void {
    const verdict = this.#verdict(slot)
    if (verdict === true) this.#give(slot)
    else if (verdict === false) this.#destroy(slot)
    else this.#awaitVerdict(slot, verdict)
  }

  #awaitVerdict(slot: Slot<T>, verdict: Promise<boolean>): void {
    this.#validating++
    const settle = (ok: boolean): void => {
      this.#validating--
      if (ok) this.#give(slot)
      else this.#destroy(slot)
      this.#dispense()
    }
    Promise.resolve(verdict).then(
      (ok) => settle(Boolean(ok)),
      () => settle(false),
    )
  }

  /** To the next waiter, or back on the shelf. */
  #give(slot: Slot<T>): void {
    const w = this.#draining ? undefined : this.#waiters.next()
    if (w === undefined) return this.#shelve(slot)
    w.resolve(this.#lend(slot))
  }

  #shelve(slot: Slot<T>): void {
    if (this.#draining) return this.#destroy(slot)
    slot.idleSince = performance.now()
    this.#idle.push(slot)
    if (this.#reaper === undefined && this.#cfg.idleTimeoutMs !== Infinity) this.#reapIn(this.#cfg.idleTimeoutMs)
  }

  #reapIn(ms: number): void {
    this.#reaper = setTimeout(() => this.#reap(), Math.ceil(ms))
    this.#reaper.unref?.()
  }

  /** Destroys the resources idle for `idleTimeoutMs` (oldest first, keeping `min`); re-arms for the next. */
  #reap(): void {
    this.#reaper = undefined
    const ms = this.#cfg.idleTimeoutMs
    const now = performance.now()
    let evict = 0
    while (evict < this.#idle.length && this.#size() - evict > this.#cfg.min && this.#idle[evict]!.idleSince + ms <= now) evict++
    for (const slot of this.#idle.splice(0, evict)) this.#destroy(slot)
    const oldest = this.#idle[0]
    if (oldest !== undefined && this.#size() > this.#cfg.min) this.#reapIn(Math.max(1, oldest.idleSince + ms - now))
  }

  #destroy(slot: Slot<T>): void {
    this.#members.delete(slot.value)
    this.#destroying++
    this.#destroyed++
    new Promise<void>((resolve) => resolve(this.#cfg.destroy(slot.value)))
      .catch((error: unknown) => {
        if (this.#draining) this.#draining.errors.push(error)
        else this.#cfg.logger.warn(`${this.#cfg.label}: destroy failed: ${describeError(error)}`)
      })
      .finally(() => {
        this.#destroying--
        this.#checkDrained()
      })
  }

  /** Starts what the waiters need: available resources first, then creations up to `max`. */
  #dispense(): void {
    if (this.#draining) return
    while (this.#waiters.count > this.#creating + this.#validating) {
      const slot = this.#idle.pop()
      if (slot !== undefined) {
        this.#checkout(slot)
        continue
      }
      if (!this.#mayCreate()) break
      this.#startCreate()
    }
  }

  /** Below `max`, and after a failed create one probe at a time, once the backoff wait is over. */
  #mayCreate(): boolean {
    if (this.#size() >= this.#cfg.max || (this.#backoff.failures > 0 && this.#creating > 0)) return false
    return !this.#backoff.waiting(() => this.#dispense())
  }

  #fillMin(): void {
    while (!this.#draining && this.#size() < this.#cfg.min && this.#backoff.ready()) this.#startCreate()
  }

  #startCreate(): void {
    this.#creating++
    new Promise<T>((resolve) => resolve(this.#cfg.create())).then(
      (value) => {
        this.#creating--
        if (this.#members.has(value)) return this.#createFailed(duplicateError(this.#cfg.label))
        this.#created++
        this.#backoff.succeeded()
        this.#members.add(value)
        this.#give({ value, uses: 0, idleSince: 0 })
        this.#dispense()
      },
      (error: unknown) => {
        this.#creating--
        this.#createFailed(createError(this.#cfg.label, error), error)
      },
    )
  }

  /** Backs off after a failed create; the next waiter gets `rejection`. */
  #createFailed(rejection: ResourceError, cause: unknown = rejection): void {
    this.#backoff.failed(cause)
    if (!this.#draining) this.#waiters.next()?.reject(rejection)
    this.#dispense()
    this.#checkDrained()
  }

  #timeOut(w: Waiter<T>): void {
    this.#waiters.reject(
      w,
      timeoutError(this.#cfg, this.#backoff, { full: this.#size() >= this.#cfg.max, lent: this.#lent.size, creating: this.#creating }),
    )
  }

  #checkDrained(): void {
    const finish = this.#draining?.finish
    if (finish === undefined || this.#lent.size + this.#creating + this.#validating + this.#destroying > 0) return
    this.#draining!.finish = undefined
    finish()
  }
}
