// RedisStateStore against a real redis-server: the port, revisions, garbage and newer values,
// timeouts when Redis stalls (SIGSTOP), connection refused at start-up, watch and sync.
import { StateConflictError, StateError } from '@pepperpy/plugin'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, runRedisTests, startRedis, type TestRedis } from './__tests__/redis-server.js'
import { RedisStateStore } from './redis-state-store.js'

describe.runIf(runRedisTests)('RedisStateStore (real redis-server)', () => {
  let redis: TestRedis
  const open: RedisStateStore[] = []
  const store = (prefix = `t${open.length}:`, timeoutMs = 2000) => {
    const s = new RedisStateStore({ url: redis.url, prefix, timeoutMs, watchIntervalMs: 200 })
    open.push(s)
    return s
  }
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()))
    await redis?.stop()
  })

  it('loads what it saved, counts revisions, rejects a stale expectedRevision with StateConflictError', async () => {
    const s = store()
    expect(await s.load('llm/echo')).toBeUndefined()
    await s.save('llm/echo', { version: 2, data: { n: 1, text: 'é ✓' } }, { expectedRevision: 0, writeId: 'w1' })
    await s.save('llm/echo', { version: 2, data: { n: 2, text: 'é ✓' } }, { expectedRevision: 1, writeId: 'w2' })
    expect(await s.load('llm/echo')).toMatchObject({ version: 2, revision: 2, data: { n: 2, text: 'é ✓' }, writeIds: ['w1', 'w2'] })
    const error = await s.save('llm/echo', { version: 2, data: { n: 9 } }, { expectedRevision: 1 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StateConflictError)
    expect(error).toMatchObject({ code: 'STATE_CONFLICT', pluginId: 'llm/echo', expectedRevision: 1, actualRevision: 2 })
    expect((await s.load('llm/echo'))?.data['n']).toBe(2)
    await s.delete('llm/echo')
    expect(await s.load('llm/echo')).toBeUndefined()
  })

  it('garbage and values of a newer version are clear errors that leave the key alone', async () => {
    const s = store('g:')
    const raw = createClient({ url: redis.url })
    await raw.connect()
    try {
      await raw.set('g:a/string', 'hello')
      await raw.hSet('g:a/json', { format: '1', rev: '3', body: '{not json' })
      await raw.hSet('g:a/newer', { format: '2', rev: '1', body: '{}' })
      await expect(s.load('a/string')).rejects.toThrow(
        /key "g:a\/string" in RedisStateStore\(redis:\/\/127\.0\.0\.1:\d+, prefix "g:"\) holds a value of another type, not PepperPy state; delete the key/,
      )
      await expect(s.save('a/string', { version: 1, data: {} })).rejects.toThrow(/holds a value of another type/)
      await expect(s.load('a/json')).rejects.toThrow(/holds a body that is not JSON/)
      await expect(s.load('a/newer')).rejects.toThrow(/written by a newer @pepperpy\/redis \(format 2.*upgrade/)
      await expect(s.save('a/newer', { version: 1, data: {} })).rejects.toThrow(/newer @pepperpy\/redis.*nothing was saved/)
      expect(await raw.get('g:a/string')).toBe('hello')
      expect(await raw.hGet('g:a/newer', 'format')).toBe('2')
    } finally {
      await raw.close()
    }
  })

  it('when Redis stalls (SIGSTOP) load and save fail with a StateError after timeoutMs; nothing hangs; it works again once resumed', async () => {
    const s = store('stall:', 500)
    await s.save('stats/stall', { version: 1, data: { n: 1 } })
    redis.pause()
    try {
      const t0 = Date.now()
      const [load, save] = await Promise.all([
        s.load('stats/stall').then(
          () => undefined,
          (e: unknown) => e as StateError,
        ),
        s.save('stats/stall', { version: 1, data: { n: 2 } }).then(
          () => undefined,
          (e: unknown) => e as StateError,
        ),
      ])
      expect(Date.now() - t0).toBeLessThan(5000)
      expect(StateError.is(load) && load.pluginId).toBe('stats/stall')
      expect(load?.message).toMatch(
        /loading state of "stats\/stall" in RedisStateStore\(redis:\/\/127\.0\.0\.1:\d+, prefix "stall:"\): Redis did not answer within 500 ms/,
      )
      expect(save?.message).toMatch(/saving state of "stats\/stall" in RedisStateStore.*did not answer within 500 ms/)
    } finally {
      redis.resume()
    }
    await expect
      .poll(async () => (await s.load('stats/stall').catch(() => undefined))?.revision, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(1)
  })

  it('connection refused at start-up: a StateError naming the store and the refusal, within timeoutMs', async () => {
    const port = await freePort()
    const s = new RedisStateStore({ url: `redis://127.0.0.1:${port}`, timeoutMs: 400 })
    try {
      const error = await s.load('llm/x').then(
        () => undefined,
        (e: unknown) => e as StateError,
      )
      expect(StateError.is(error)).toBe(true)
      expect(error?.message).toMatch(
        new RegExp(`loading state of "llm/x" in RedisStateStore\\(redis://127.0.0.1:${port}.*(did not answer|ECONNREFUSED)`),
      )
    } finally {
      await s.close()
    }
  })

  it('watch reports a save by another connection, and stops when asked', async () => {
    const a = store('w:')
    const b = store('w:')
    const seen: unknown[] = []
    const stop = a.watch('k/v', (state) => seen.push(state?.data['n']))
    await new Promise((r) => setTimeout(r, 300)) // the subscription is up
    await b.save('k/v', { version: 1, data: { n: 1 } })
    await expect.poll(() => seen, { timeout: 2000 }).toEqual([1])
    stop()
  })
})
