import { ResourceError } from '@pepperpy/plugin'
import { messageOf } from './internal/errors.js'
import { poolConfig } from './internal/pool-config.js'
import { notifyPoolCreated } from './internal/pool-observers.js'
import { Queue } from './internal/queue.js'
import { settleWaiter, type Waiter } from './internal/waiter.js'
import type { PoolOptions } from './pool-options.js'

/** A snapshot of a {@link Pool}. */
export interface PoolStats {
  /** Resources alive: available + borrowed + being validated (creations in flight not included). */
  size: number
  /** Idle resources ready to lend. */
  available: number
  /** Resources lent and not yet released. */
  borrowed: number
  /** `acquire()` calls waiting. */
  pending: number
  /** `create` calls in flight. */
  creating: number
  /** The `min` option. */
  min: number
  /** The `max` option. */
  max: number
  /** Resources created since the pool started. */
  created: number
  /** Resources destroyed since the pool started. */
  destroyed: number
  /** Consecutive failed `create` calls (0 after a success). */
  failedCreates: number
}

/** A bounded pool of connection-like resources (see {@link createPool}). */
export interface Pool<T> {
  /** Borrows a resource, waiting FIFO when none is free. @throws ResourceError on timeout, abort, drain or a failed create */
  acquire(signal?: AbortSignal): Promise<T>
  /** Gives a borrowed resource back. @throws ResourceError when `resource` is not currently lent by this pool */
  release(resource: T): void
  /** Borrows a resource for `fn` and releases it afterwards, also when `fn` throws. */
  use<R>(fn: (resource: T) => R | Promise<R>, signal?: AbortSignal): Promise<R>
  /** Rejects waiters and later acquires, waits for borrowed resources to come back, destroys everything. */
  drain(): Promise<void>
  /** Counts for tests and diagnostics. */
  stats(): PoolStats
}

interface Slot<T> {
  value: T
  uses: number
  idleSince: number
}

/**
 * Creates a bounded pool: lazy creation up to `max`, FIFO waiters, acquire timeouts and abort
 * signals, validation on borrow, idle eviction down to `min`, and failed creates retried with
 * capped exponential backoff (never a hot loop).
 * @example
 * const pool = createPool({ create: () => connect(url), destroy: (c) => c.end(), max: 10 })
 * const rows = await pool.use((conn) => conn.query('select 1'))
 * await pool.drain()
 * @throws ResourceError for invalid options
 */
export function createPool<T>(options: PoolOptions<T>): Pool<T> {
  const cfg = poolConfig(options)
  const { validate, max, min, maxUses, idleTimeoutMs, acquireTimeoutMs, label } = cfg
  const available: Slot<T>[] = []
  const borrowed = new Map<T, Slot<T>>()
  const waiters = new Queue<Waiter<T>>()
  let live = 0
  let creating = 0
  let validating = 0
  let destroying = 0
  let created = 0
  let destroyed = 0
  let failures = 0
  let lastCreateError: unknown
  let nextCreateAt = 0
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let reaper: ReturnType<typeof setTimeout> | undefined
  // one timer for every waiter's acquire timeout: they share one length and wait FIFO, so the
  // oldest unsettled waiter (the queue's head) always times out first
  let waitTimer: ReturnType<typeof setTimeout> | undefined
  let waitArmedFor = 0
  let draining = false
  let drained: Promise<void> | undefined
  let finishDrain: (() => void) | undefined
  const drainErrors: unknown[] = []

  const size = (): number => available.length + borrowed.size + validating + creating

  function lend(slot: Slot<T>): T {
    slot.uses++
    borrowed.set(slot.value, slot)
    return slot.value
  }

  function nextWaiter(): Waiter<T> | undefined {
    for (let w = waiters.shift(); w !== undefined; w = waiters.shift()) if (settleWaiter(w)) return w
    return undefined
  }

  function fail(w: Waiter<T>, error: ResourceError): void {
    if (!settleWaiter(w)) return
    if (--live === 0) noneWaiting()
    w.reject(error)
  }

  function give(slot: Slot<T>): void {
    const w = draining ? undefined : nextWaiter()
    if (w === undefined) return shelve(slot)
    if (--live === 0) noneWaiting()
    w.resolve(lend(slot))
  }

  function noneWaiting(): void {
    waiters.drain()
    if (waitTimer !== undefined) clearTimeout(waitTimer)
    waitTimer = undefined
  }

  /** Arms the wait timer for `at`, counting from `now` (the effective time when re-arming after a fire). */
  function armWaitTimer(at: number, now: number = performance.now()): void {
    waitArmedFor = at
    waitTimer = setTimeout(expireWaiters, Math.max(0, at - now))
  }

  function expireWaiters(): void {
    waitTimer = undefined
    // monotonic, like the timer (a wall clock set back must not delay timeouts); and the timer firing
    // proves its deadline has come, even where the clock says otherwise (timers faked without `performance`)
    const now = Math.max(performance.now(), waitArmedFor)
    for (let w = waiters.peek(); w !== undefined; w = waiters.peek()) {
      if (!w.done && w.deadline > now) return armWaitTimer(w.deadline, now)
      waiters.shift()
      if (!w.done) timeOut(w)
    }
  }

  function shelve(slot: Slot<T>): void {
    if (draining) return destroySlot(slot)
    slot.idleSince = Date.now()
    available.push(slot)
    if (reaper === undefined && idleTimeoutMs !== Infinity) scheduleReap(idleTimeoutMs)
  }

  function destroySlot(slot: Slot<T>): void {
    destroying++
    destroyed++
    new Promise<void>((resolve) => resolve(cfg.destroy(slot.value)))
      .catch((error: unknown) => {
        if (draining) drainErrors.push(error)
        else cfg.logger.warn(`${label}: destroy failed: ${messageOf(error)}`)
      })
      .finally(() => {
        destroying--
        checkDrained()
      })
  }

  /** Hands `slot` to the next waiter, validating it first when `validate` is set. */
  function checkout(slot: Slot<T>): void {
    if (validate === undefined) return give(slot)
    let verdict: boolean | Promise<boolean>
    try {
      verdict = validate(slot.value)
    } catch {
      verdict = false
    }
    if (typeof verdict !== 'object' || verdict === null) return verdict ? give(slot) : destroySlot(slot)
    validating++
    Promise.resolve(verdict).then(
      (ok) => afterValidation(slot, Boolean(ok)),
      () => afterValidation(slot, false),
    )
  }

  function afterValidation(slot: Slot<T>, ok: boolean): void {
    validating--
    if (ok) give(slot)
    else destroySlot(slot)
    dispense()
  }

  function dispense(): void {
    if (draining) return
    while (live > creating + validating) {
      const slot = available.pop()
      if (slot !== undefined) {
        checkout(slot)
        continue
      }
      // after a failed create, probe with one create at a time until one succeeds
      if (size() >= max || (failures > 0 && creating > 0)) break
      const wait = nextCreateAt - Date.now()
      if (wait > 0) {
        retryTimer ??= setTimeout(() => {
          retryTimer = undefined
          dispense()
        }, wait)
        break
      }
      startCreate()
    }
  }

  function fillMin(): void {
    while (!draining && size() < min && nextCreateAt <= Date.now()) startCreate()
  }

  function startCreate(): void {
    creating++
    new Promise<T>((resolve) => resolve(cfg.create())).then(
      (value) => {
        creating--
        created++
        failures = 0
        lastCreateError = undefined
        nextCreateAt = 0
        give({ value, uses: 0, idleSince: 0 })
        dispense()
      },
      (error: unknown) => {
        creating--
        failures++
        lastCreateError = error
        nextCreateAt = Date.now() + Math.min(cfg.retryDelayMs * 2 ** (failures - 1), cfg.maxRetryDelayMs)
        const w = draining ? undefined : nextWaiter()
        if (w !== undefined) {
          if (--live === 0) noneWaiting()
          w.reject(new ResourceError(`${label} could not create a resource: ${messageOf(error)}`, { cause: error }))
        }
        dispense()
        checkDrained()
      },
    )
  }

  function timeOut(w: Waiter<T>): void {
    const ms = acquireTimeoutMs
    if (failures > 0) {
      const why = `creating a resource failed ${failures} time(s) in a row (last error: ${messageOf(lastCreateError)}); check what create() connects to`
      return fail(w, new ResourceError(`${label}: acquire timed out after ${ms} ms: ${why}`, { cause: lastCreateError }))
    }
    const why =
      size() >= max
        ? `the pool is full (max ${max}, ${borrowed.size} borrowed) and nothing was released in time; release resources (pool.use() does it for you) or raise max`
        : `a resource is still being created (${creating} in flight); create() is slow or hanging`
    fail(w, new ResourceError(`${label}: acquire timed out after ${ms} ms: ${why}`))
  }

  function scheduleReap(delay: number): void {
    reaper = setTimeout(reap, delay)
    reaper.unref?.()
  }

  function reap(): void {
    reaper = undefined
    const now = Date.now()
    let evict = 0
    while (evict < available.length && size() - evict > min && (available[evict] as Slot<T>).idleSince + idleTimeoutMs <= now) evict++
    for (const slot of available.splice(0, evict)) destroySlot(slot)
    const oldest = available[0]
    if (oldest !== undefined && size() > min) scheduleReap(Math.max(1, oldest.idleSince + idleTimeoutMs - now))
  }

  function checkDrained(): void {
    if (finishDrain && borrowed.size === 0 && creating === 0 && validating === 0 && destroying === 0) finishDrain()
  }

  function acquire(signal?: AbortSignal): Promise<T> {
    if (draining) return Promise.reject(new ResourceError(`${label} is drained; acquire() is refused. Create a new pool.`))
    if (signal?.aborted) return Promise.reject(new ResourceError(`${label}: acquire aborted`, { cause: signal.reason }))
    if (live === 0) {
      let slot: Slot<T> | undefined
      while ((slot = available.pop()) !== undefined) {
        if (validate === undefined) return Promise.resolve(lend(slot))
        let verdict: boolean | Promise<boolean>
        try {
          verdict = validate(slot.value)
        } catch {
          verdict = false
        }
        if (typeof verdict === 'object' && verdict !== null) {
          available.push(slot)
          break
        }
        if (verdict) return Promise.resolve(lend(slot))
        destroySlot(slot)
      }
    }
    return new Promise<T>((resolve, reject) => {
      const w: Waiter<T> = { resolve, reject, deadline: Infinity, signal, onAbort: undefined, done: false }
      if (acquireTimeoutMs !== Infinity) {
        w.deadline = performance.now() + acquireTimeoutMs
        if (waitTimer === undefined) armWaitTimer(w.deadline)
      }
      if (signal !== undefined) {
        w.onAbort = () => fail(w, new ResourceError(`${label}: acquire aborted`, { cause: signal.reason }))
        signal.addEventListener('abort', w.onAbort, { once: true })
      }
      waiters.push(w)
      live++
      dispense()
      fillMin()
    })
  }

  function release(resource: T): void {
    const slot = borrowed.get(resource)
    if (slot === undefined) throw new ResourceError(`${label}: release() got a resource this pool did not lend, or one already released`)
    borrowed.delete(resource)
    if (draining) return destroySlot(slot)
    if (slot.uses >= maxUses) {
      destroySlot(slot)
      dispense()
      return fillMin()
    }
    if (live > 0) {
      checkout(slot)
      return dispense()
    }
    slot.idleSince = Date.now()
    available.push(slot)
    if (reaper === undefined && idleTimeoutMs !== Infinity) scheduleReap(idleTimeoutMs)
  }

  function drain(): Promise<void> {
    if (drained) return drained
    draining = true
    if (retryTimer !== undefined) clearTimeout(retryTimer)
    if (reaper !== undefined) clearTimeout(reaper)
    if (waitTimer !== undefined) clearTimeout(waitTimer)
    for (const w of waiters.drain()) fail(w, new ResourceError(`${label} is draining; this acquire() was cancelled`))
    live = 0
    for (const slot of available.splice(0)) destroySlot(slot)
    drained = new Promise<void>((resolve, reject) => {
      finishDrain = () => {
        finishDrain = undefined
        if (drainErrors.length === 0) return resolve()
        const summary = `${label}: drain could not destroy ${drainErrors.length} resource(s)`
        reject(
          new ResourceError(`${summary}: ${drainErrors.map(messageOf).join('; ')}`, { cause: new AggregateError(drainErrors, summary) }),
        )
      }
      checkDrained()
    })
    return drained
  }

  fillMin()
  const pool: Pool<T> = {
    acquire,
    release,
    async use<R>(fn: (resource: T) => R | Promise<R>, signal?: AbortSignal): Promise<R> {
      const resource = await acquire(signal)
      try {
        return await fn(resource)
      } finally {
        release(resource)
      }
    },
    drain,
    stats: (): PoolStats => ({
      size: available.length + borrowed.size + validating,
      available: available.length,
      borrowed: borrowed.size,
      pending: live,
      creating,
      min,
      max,
      created,
      destroyed,
      failedCreates: failures,
    }),
  }
  notifyPoolCreated(pool, () => !draining)
  return pool
}
