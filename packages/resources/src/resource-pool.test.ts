import { PepperpyError, ResourceError } from '@pepperpy/plugin'
import { describe, expect, it } from 'vitest'
import { createResourcePool, createSharedResources } from './resource-pool.js'

function counter() {
  const log: string[] = []
  let made = 0
  return {
    log,
    get made() {
      return made
    },
    options: (key: string) => ({
      factory: async () => {
        made++
        log.push(`create ${key}`)
        return { key, n: made }
      },
      cleanup: (r: { key: string }) => {
        log.push(`cleanup ${r.key}`)
      },
    }),
  }
}

describe('createResourcePool', () => {
  it('is the deprecated name of createSharedResources (refcounted sharing, not a pool)', () => {
    expect(createResourcePool).toBe(createSharedResources)
  })

  it('shares one resource between holders and cleans it up once, after the last release', async () => {
    const pool = createResourcePool()
    const c = counter()
    const a = {}
    const b = {}
    const ra = await pool.acquire('database', a, c.options('database'))
    const rb = await pool.acquire('database', b, c.options('database'))
    expect(rb).toBe(ra)
    expect(c.made).toBe(1)
    expect(pool.stats().resources).toEqual([{ key: 'database', scope: 'shared', holders: 2 }])
    await pool.release('database', a)
    expect(c.log).toEqual(['create database'])
    expect(pool.has('database')).toBe(true)
    expect(pool.has('database', a)).toBe(false)
    await pool.release('database', b)
    expect(c.log).toEqual(['create database', 'cleanup database'])
    expect(pool.has('database')).toBe(false)
    await pool.release('database', b)
    expect(c.log).toHaveLength(2)
  })

  it('runs the factory once for ten concurrent first uses', async () => {
    const pool = createResourcePool()
    const c = counter()
    const holders = Array.from({ length: 10 }, () => ({}))
    const got = await Promise.all(holders.map((h) => pool.acquire('cache', h, c.options('cache'))))
    expect(c.made).toBe(1)
    expect(new Set(got).size).toBe(1)
    expect(pool.stats().resources[0]?.holders).toBe(10)
  })

  it('counts a holder that acquires the same key twice once', async () => {
    const pool = createResourcePool()
    const c = counter()
    const a = {}
    await pool.acquire('k', a, c.options('k'))
    await pool.acquire('k', a, c.options('k'))
    expect(pool.stats().resources[0]?.holders).toBe(1)
    await pool.release('k', a)
    expect(c.log).toEqual(['create k', 'cleanup k'])
  })

  it('does not cache a failed factory: every concurrent waiter gets the error, the next call retries', async () => {
    const pool = createResourcePool()
    let calls = 0
    const options = {
      factory: async () => {
        calls++
        if (calls === 1) throw new Error('connection refused')
        return 'ok'
      },
    }
    const results = await Promise.allSettled([
      pool.acquire('db', {}, options),
      pool.acquire('db', {}, options),
      pool.acquire('db', {}, options),
    ])
    expect(calls).toBe(1)
    for (const r of results) {
      expect(r.status).toBe('rejected')
      const reason = (r as PromiseRejectedResult).reason as ResourceError
      expect(reason).toBeInstanceOf(ResourceError)
      expect(reason.message).toContain('resource "db"')
      expect(reason.message).toContain('retries')
      expect((reason.cause as Error).message).toBe('connection refused')
    }
    expect(pool.has('db')).toBe(false)
    expect(pool.stats()).toEqual({ resources: [], creating: 0 })
    await expect(pool.acquire('db', {}, options)).resolves.toBe('ok')
    expect(calls).toBe(2)
  })

  it('turns a synchronous factory throw into a rejection', async () => {
    const pool = createResourcePool()
    const p = pool.acquire(
      'x',
      {},
      {
        factory: () => {
          throw new Error('sync boom')
        },
      },
    )
    await expect(p).rejects.toThrow(/sync boom/)
  })

  it("gives a private resource per holder with scope: 'plugin'", async () => {
    const pool = createResourcePool()
    const c = counter()
    const a = {}
    const b = {}
    const ra = await pool.acquire('session', a, { ...c.options('session'), scope: 'plugin' })
    const rb = await pool.acquire('session', b, { ...c.options('session'), scope: 'plugin' })
    const ra2 = await pool.acquire('session', a, { ...c.options('session'), scope: 'plugin' })
    expect(ra).not.toBe(rb)
    expect(ra2).toBe(ra)
    expect(c.made).toBe(2)
    expect(pool.has('session', a)).toBe(true)
    await pool.release('session', a)
    expect(c.log.filter((l) => l.startsWith('cleanup'))).toHaveLength(1)
    expect(pool.has('session', a)).toBe(false)
    expect(pool.has('session', b)).toBe(true)
    expect(pool.stats().resources).toEqual([{ key: 'session', scope: 'plugin', holders: 1 }])
  })

  it('releaseAll frees everything a holder holds, newest first, and keeps shared ones others hold', async () => {
    const pool = createResourcePool()
    const c = counter()
    const a = {}
    const b = {}
    await pool.acquire('one', a, c.options('one'))
    await pool.acquire('two', a, c.options('two'))
    await pool.acquire('mine', a, { ...c.options('mine'), scope: 'plugin' })
    await pool.acquire('two', b, c.options('two'))
    await pool.releaseAll(a)
    expect(c.log.filter((l) => l.startsWith('cleanup'))).toEqual(['cleanup mine', 'cleanup one'])
    expect(pool.keys()).toEqual(['two'])
    expect(pool.has('two', b)).toBe(true)
  })

  it('reports every failed cleanup of releaseAll together', async () => {
    const pool = createResourcePool()
    const h = {}
    const failing = (key: string) => ({
      factory: () => key,
      cleanup: () => {
        throw new Error(`${key} broke`)
      },
    })
    await pool.acquire('a', h, failing('a'))
    await pool.acquire('b', h, failing('b'))
    const error = await pool.releaseAll(h).then(
      () => undefined,
      (e: unknown) => e as ResourceError,
    )
    expect(PepperpyError.is(error)).toBe(true)
    const causes = (error!.cause as AggregateError).errors as ResourceError[]
    expect(causes.map((e) => e.message)).toEqual(['cleanup of resource "b" failed: b broke', 'cleanup of resource "a" failed: a broke'])
    expect(pool.keys()).toEqual([])
  })

  it('disposes every resource newest first and aggregates the failures', async () => {
    const pool = createResourcePool()
    const order: string[] = []
    const make = (key: string, fail = false) => ({
      factory: () => key,
      cleanup: (r: string) => {
        order.push(r)
        if (fail) throw new Error(`${r} failed to close`)
      },
    })
    await pool.acquire('first', {}, make('first', true))
    await pool.acquire('second', {}, make('second'))
    await pool.acquire('third', {}, { ...make('third', true), scope: 'plugin' })
    const error = (await pool.dispose().catch((e: unknown) => e)) as ResourceError
    expect(order).toEqual(['third', 'second', 'first'])
    expect(error).toBeInstanceOf(ResourceError)
    expect(error.message).toContain('2 resources')
    expect((error.cause as AggregateError).errors).toHaveLength(2)
    expect(pool.keys()).toEqual([])
    await expect(pool.acquire('first', {}, make('first'))).resolves.toBe('first')
  })

  it('dispose waits for factories in flight, cleans them up and rejects their waiters', async () => {
    const pool = createResourcePool()
    let finish!: (v: string) => void
    const cleaned: string[] = []
    const pending = pool.acquire(
      'slow',
      {},
      { factory: () => new Promise<string>((r) => (finish = r)), cleanup: (v) => void cleaned.push(v) },
    )
    const disposed = pool.dispose()
    await expect(pool.acquire('other', {}, { factory: () => 1 })).rejects.toThrow(/being disposed/)
    finish('conn')
    await disposed
    await expect(pending).rejects.toThrow(/released .* before its factory finished/)
    expect(cleaned).toEqual(['conn'])
  })

  it('a holder released while the factory runs is not counted, and the resource is cleaned once it exists', async () => {
    const pool = createResourcePool()
    let finish!: (v: string) => void
    const cleaned: string[] = []
    const h = {}
    const pending = pool.acquire('slow', h, {
      factory: () => new Promise<string>((r) => (finish = r)),
      cleanup: (v) => void cleaned.push(v),
    })
    const released = pool.release('slow', h)
    finish('conn')
    await released
    await expect(pending).rejects.toBeInstanceOf(ResourceError)
    expect(cleaned).toEqual(['conn'])
    expect(pool.keys()).toEqual([])
  })

  it('keeps keys like __proto__ in a Map without polluting prototypes', async () => {
    const pool = createResourcePool()
    const h = {}
    await pool.acquire('__proto__', h, { factory: () => ({ polluted: true }) })
    await pool.acquire('constructor', h, { factory: () => 'c' })
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined()
    expect(pool.keys()).toEqual(['__proto__', 'constructor'])
    expect(pool.has('__proto__', h)).toBe(true)
    await pool.releaseAll(h)
    expect(pool.keys()).toEqual([])
  })

  it('rejects bad arguments with a ResourceError that says what to pass', async () => {
    const pool = createResourcePool()
    await expect(pool.acquire('', {}, { factory: () => 1 })).rejects.toThrow(/non-empty string/)
    await expect(pool.acquire('k', {}, {} as never)).rejects.toThrow(/getResource\("k", \{ factory \}\)/)
  })
})
