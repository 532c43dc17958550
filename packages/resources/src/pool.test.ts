// createPool: every behaviour of the bounded pool in one suite (over 300 lines: one case per behaviour,
// kept together so the pool's contract reads top to bottom).
import { ResourceError } from '@pepperpy/plugin'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createPool } from './pool.js'

interface Conn {
  id: number
  alive: boolean
}

function factory() {
  let next = 0
  const destroyed: number[] = []
  return {
    destroyed,
    get created() {
      return next
    },
    create: async (): Promise<Conn> => ({ id: ++next, alive: true }),
    destroy: (c: Conn) => {
      c.alive = false
      destroyed.push(c.id)
    },
  }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('createPool', () => {
  it('creates lazily up to max and hands an available resource out synchronously', async () => {
    const f = factory()
    const pool = createPool({ create: f.create, destroy: f.destroy, max: 2 })
    expect(f.created).toBe(0)
    const a = await pool.acquire()
    pool.release(a)
    const again = pool.acquire()
    expect(pool.stats()).toMatchObject({ borrowed: 1, available: 0, pending: 0, creating: 0 })
    expect(await again).toBe(a)
    expect(f.created).toBe(1)
  })

  it('queues waiters FIFO when full and gives released resources in order', async () => {
    const f = factory()
    const pool = createPool({ create: f.create, destroy: f.destroy, max: 1 })
    const first = await pool.acquire()
    const order: string[] = []
    const w1 = pool.acquire().then((c) => (order.push('w1'), c))
    const w2 = pool.acquire().then((c) => (order.push('w2'), c))
    expect(pool.stats()).toMatchObject({ pending: 2, size: 1 })
    pool.release(first)
    const c1 = await w1
    pool.release(c1)
    await w2
    expect(order).toEqual(['w1', 'w2'])
    expect(f.created).toBe(1)
  })

  it('rejects a timed-out acquire saying the pool was full', async () => {
    vi.useFakeTimers()
    const f = factory()
    const pool = createPool({ create: f.create, destroy: f.destroy, max: 1, acquireTimeoutMs: 1000, name: 'pg' })
    await pool.acquire()
    const waiting = pool.acquire().then(
      () => undefined,
      (e: unknown) => e as ResourceError,
    )
    await vi.advanceTimersByTimeAsync(999)
    expect(pool.stats().pending).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    const error = (await waiting) as ResourceError
    expect(error).toBeInstanceOf(ResourceError)
    expect(error.message).toMatch(/pool "pg": acquire timed out after 1000 ms: the pool is full \(max 1, 1 borrowed\)/)
    expect(pool.stats().pending).toBe(0)
  })

  it('gives a creation error to the waiting acquirer, with the cause', async () => {
    const pool = createPool({
      create: () => {
        throw new Error('ECONNREFUSED')
      },
      destroy: () => {},
      max: 1,
    })
    const error = (await pool.acquire().catch((e: unknown) => e)) as ResourceError
    expect(error).toBeInstanceOf(ResourceError)
    expect(error.message).toBe('pool "pool" could not create a resource: ECONNREFUSED')
    expect((error.cause as Error).message).toBe('ECONNREFUSED')
    expect(pool.stats().failedCreates).toBe(1)
  })

  it('does not spin when create keeps failing: capped backoff, timeouts name the creation error', async () => {
    vi.useFakeTimers()
    let calls = 0
    const pool = createPool({
      create: async (): Promise<Conn> => {
        calls++
        throw new Error(`refused #${calls}`)
      },
      destroy: () => {},
      max: 3,
      acquireTimeoutMs: 1000,
      retryDelayMs: 100,
      maxRetryDelayMs: 400,
    })
    const results = Array.from({ length: 10 }, () =>
      pool.acquire().then(
        () => new ResourceError('acquired'),
        (e: unknown) => e as ResourceError,
      ),
    )
    await vi.advanceTimersByTimeAsync(1000)
    // t=0: three creates in parallel (max 3) fail; then one probe at a time with capped backoff:
    // t=400 and t=800; each failure rejects one waiter, the rest time out at t=1000
    expect(calls).toBe(5)
    const errors = await Promise.all(results)
    expect(errors.filter((e) => /could not create a resource/.test(e.message))).toHaveLength(5)
    const timedOut = errors.filter((e) => /timed out/.test(e.message))
    expect(timedOut).toHaveLength(5)
    expect(timedOut[0]?.message).toMatch(/creating a resource failed 5 time\(s\) in a row \(last error: refused #5\)/)
    expect((timedOut[0]!.cause as Error).message).toBe('refused #5')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toBe(5)
    expect(pool.stats()).toMatchObject({ pending: 0, creating: 0, size: 0 })
  })

  it('fills min at start without retrying in the background when create fails', async () => {
    vi.useFakeTimers()
    let calls = 0
    const pool = createPool({
      create: async (): Promise<Conn> => {
        calls++
        throw new Error('down')
      },
      destroy: () => {},
      min: 2,
      max: 4,
    })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toBe(2)
    expect(pool.stats()).toMatchObject({ size: 0, failedCreates: 2 })
  })

  it('says a create is still running when an acquire times out behind a hanging create', async () => {
    vi.useFakeTimers()
    const pool = createPool({ create: () => new Promise<Conn>(() => {}), destroy: () => {}, max: 2, acquireTimeoutMs: 50 })
    const waiting = pool.acquire().then(
      () => undefined,
      (e: unknown) => e as ResourceError,
    )
    await vi.advanceTimersByTimeAsync(50)
    expect((await waiting)?.message).toMatch(/timed out after 50 ms: a resource is still being created \(1 in flight\)/)
  })

  it('recovers after failures: the next create succeeds and resets the backoff', async () => {
    vi.useFakeTimers()
    let fail = true
    const pool = createPool({
      create: async () => {
        if (fail) throw new Error('down')
        return { id: 1, alive: true }
      },
      destroy: () => {},
      max: 1,
      retryDelayMs: 100,
    })
    await expect(pool.acquire()).rejects.toThrow('down')
    fail = false
    const next = pool.acquire()
    await vi.advanceTimersByTimeAsync(100)
    await expect(next).resolves.toEqual({ id: 1, alive: true })
    expect(pool.stats().failedCreates).toBe(0)
  })

  it('use() releases the resource also when fn throws', async () => {
    const f = factory()
    const pool = createPool({ create: f.create, destroy: f.destroy, max: 1 })
    await expect(pool.use((c) => c.id * 10)).resolves.toBe(10)
    await expect(
      pool.use(() => {
        throw new Error('query failed')
      }),
    ).rejects.toThrow('query failed')
    expect(pool.stats()).toMatchObject({ borrowed: 0, available: 1 })
  })

  it('refuses to release something it did not lend, or twice', async () => {
    const f = factory()
    const pool = createPool({ create: f.create, destroy: f.destroy, max: 1 })
    const c = await pool.acquire()
    pool.release(c)
    expect(() => pool.release(c)).toThrow(ResourceError)
    expect(() => pool.release({ id: 99, alive: true })).toThrow(/did not lend/)
  })

  it('drain waits for borrowed resources, destroys all, rejects waiters and later acquires', async () => {
    const f = factory()
    const pool = createPool({ create: f.create, destroy: f.destroy, max: 2 })
    const a = await pool.acquire()
    const b = await pool.acquire()
    pool.release(b)
    const c = await pool.acquire()
    const waiter = pool.acquire()
    let done = false
    const draining = pool.drain().then(() => (done = true))
    await expect(waiter).rejects.toThrow(/draining/)
    await expect(pool.acquire()).rejects.toThrow(/drained/)
    await Promise.resolve()
    expect(done).toBe(false)
    pool.release(a)
    pool.release(c)
    await draining
    expect(f.destroyed.sort()).toEqual([1, 2])
    expect(pool.stats()).toMatchObject({ size: 0, pending: 0, destroyed: 2 })
    expect(pool.drain()).toBe(pool.drain())
  })

  it('drain reports every destroy failure together', async () => {
    const f = factory()
    const pool = createPool({
      create: f.create,
      destroy: (c) => {
        throw new Error(`close ${c.id} failed`)
      },
      max: 2,
    })
    const a = await pool.acquire()
    const b = await pool.acquire()
    pool.release(a)
    pool.release(b)
    const error = (await pool.drain().catch((e: unknown) => e)) as ResourceError
    expect(error).toBeInstanceOf(ResourceError)
    expect((error.cause as AggregateError).errors).toHaveLength(2)
    expect(error.message).toContain('close 1 failed')
  })

  it('validates on borrow: an invalid resource is destroyed and replaced (sync and async validate)', async () => {
    for (const asyncValidate of [false, true]) {
      const f = factory()
      const validate = (c: Conn) => (asyncValidate ? Promise.resolve(c.alive) : c.alive)
      const pool = createPool({ create: f.create, destroy: f.destroy, validate, max: 1 })
      const c = await pool.acquire()
      pool.release(c)
      c.alive = false
      const d = await pool.acquire()
      expect(d.id).toBe(2)
      expect(f.destroyed).toEqual([1])
      // a waiter gets a released resource only after it passes validation
      const waiting = pool.acquire()
      d.alive = false
      pool.release(d)
      expect((await waiting).id).toBe(3)
      expect(f.destroyed).toEqual([1, 2])
    }
  })

  it('evicts idle resources after idleTimeoutMs but keeps min', async () => {
    vi.useFakeTimers()
    const f = factory()
    const pool = createPool({ create: f.create, destroy: f.destroy, min: 1, max: 3, idleTimeoutMs: 5000 })
    await vi.advanceTimersByTimeAsync(0)
    expect(pool.stats()).toMatchObject({ size: 1, available: 1 })
    const conns = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()])
    for (const c of conns) pool.release(c)
    expect(pool.stats().available).toBe(3)
    await vi.advanceTimersByTimeAsync(4999)
    expect(f.destroyed).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(pool.stats()).toMatchObject({ size: 1, available: 1, destroyed: 2 })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(pool.stats().size).toBe(1)
  })

  it('evicts each resource by its own idle time', async () => {
    vi.useFakeTimers()
    const f = factory()
    const pool = createPool({ create: f.create, destroy: f.destroy, max: 2, idleTimeoutMs: 1000 })
    const a = await pool.acquire()
    const b = await pool.acquire()
    pool.release(a)
    await vi.advanceTimersByTimeAsync(600)
    pool.release(b)
    await vi.advanceTimersByTimeAsync(400)
    expect(f.destroyed).toEqual([1])
    await vi.advanceTimersByTimeAsync(600)
    expect(f.destroyed).toEqual([1, 2])
  })

  it('aborts a waiting acquire and refuses an already aborted signal', async () => {
    const f = factory()
    const pool = createPool({ create: f.create, destroy: f.destroy, max: 1 })
    const c = await pool.acquire()
    const controller = new AbortController()
    const waiting = pool.acquire(controller.signal)
    const later = pool.acquire()
    controller.abort(new Error('user left'))
    const error = (await waiting.catch((e: unknown) => e)) as ResourceError
    expect(error).toBeInstanceOf(ResourceError)
    expect((error.cause as Error).message).toBe('user left')
    expect(pool.stats().pending).toBe(1)
    pool.release(c)
    await expect(later).resolves.toBe(c)
    await expect(pool.acquire(controller.signal)).rejects.toThrow(/aborted/)
  })

  it('times out a waiting acquire under fake timers that leave performance.now() real', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const f = factory()
    const pool = createPool({ create: f.create, destroy: f.destroy, max: 1, acquireTimeoutMs: 1000 })
    await pool.acquire()
    const waiting = pool.acquire().catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(1001)
    expect(await waiting).toBeInstanceOf(ResourceError)
  })

  it('waiting acquires share one timeout timer, dropped once nobody waits (nothing keeps the process alive)', async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    const f = factory()
    const pool = createPool({ create: f.create, destroy: f.destroy, max: 1, acquireTimeoutMs: 60_000 })
    const first = await pool.acquire()
    const before = timers()
    const waiting = Array.from({ length: 100 }, () => pool.acquire())
    expect(timers()).toBe(before + 1)
    pool.release(first)
    for (const p of waiting) pool.release(await p)
    expect(pool.stats().pending).toBe(0)
    expect(timers()).toBe(before)
    await pool.drain()
  })

  it('an acquire times out on time even when the wall clock is set back while it waits', async () => {
    const f = factory()
    const pool = createPool({ create: f.create, destroy: f.destroy, max: 1, acquireTimeoutMs: 50 })
    const first = await pool.acquire()
    const waiting = pool.acquire().then(
      () => 'acquired',
      (e: unknown) => (e as Error).message,
    )
    const now = Date.now.bind(Date)
    vi.spyOn(Date, 'now').mockImplementation(() => now() - 3_600_000) // NTP steps the clock back an hour
    let result: string | undefined
    void waiting.then((r) => (result = r))
    // a plain timer due well after the acquire's timeout: timers fire in the order they are due
    await new Promise((resolve) => setTimeout(resolve, 300))
    vi.restoreAllMocks()
    expect(result).toMatch(/timed out after 50 ms/)
    pool.release(first)
    await pool.drain()
  })

  it('destroys a resource after maxUsesPerResource borrows', async () => {
    const f = factory()
    const pool = createPool({ create: f.create, destroy: f.destroy, max: 1, maxUsesPerResource: 2 })
    for (let i = 0; i < 5; i++) await pool.use(() => {})
    await Promise.resolve()
    expect(f.created).toBe(3)
    expect(f.destroyed).toEqual([1, 2])
  })

  it('rejects invalid options with a ResourceError naming the option', () => {
    const base = { create: () => 1, destroy: () => {} }
    expect(() => createPool({ ...base, max: 0 })).toThrow(/option max must be an integer >= 1/)
    expect(() => createPool({ ...base, max: 2, min: 3 })).toThrow(/min \(3\) is larger than max \(2\)/)
    expect(() => createPool({ ...base, max: 1, acquireTimeoutMs: -1 })).toThrow(/acquireTimeoutMs/)
  })

  it('never exceeds max when create() returns a resource it already holds (identity is tracked)', async () => {
    const same = { id: 1, alive: true }
    const pool = createPool({ create: () => same, destroy: () => {}, max: 2, retryDelayMs: 0 })
    const a = await pool.acquire()
    const second = (await pool.acquire().catch((e: unknown) => e)) as ResourceError
    expect(second).toBeInstanceOf(ResourceError)
    expect(second.message).toMatch(/create\(\) returned a resource the pool already holds/)
    expect(pool.stats()).toMatchObject({ size: 1, borrowed: 1, created: 1 })
    pool.release(a)
    expect(await pool.acquire()).toBe(same)
    expect(pool.stats()).toMatchObject({ size: 1, borrowed: 1 })
  })

  it('never lends one resource to two holders, whatever create() returns (fast-check)', async () => {
    const fc = await import('fast-check')
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 3 }),
        async (ids, max) => {
          const objects = [{ id: 0 }, { id: 1 }, { id: 2 }]
          let i = 0
          const pool = createPool({
            create: () => objects[ids[i++ % ids.length]!]!,
            destroy: () => {},
            max,
            retryDelayMs: 0,
            acquireTimeoutMs: 50,
          })
          const got = await Promise.all(Array.from({ length: max }, () => pool.acquire().catch(() => undefined)))
          const lent = got.filter((x) => x !== undefined)
          expect(new Set(lent).size).toBe(lent.length)
          expect(pool.stats().size).toBeLessThanOrEqual(max)
          for (const r of lent) pool.release(r)
          await pool.drain()
        },
      ),
      { numRuns: 50 },
    )
  })
})
