// RedisStateStore against a real redis-server: the port, revisions, garbage and newer values,
// timeouts when Redis stalls (SIGSTOP), connection refused at start-up, watch and sync.
import { flushState, persistentPlugin } from '@pepperpy/extensions'
import { instantiatePlugin, PepperpyPlugin, silentLogger, StateConflictError, StateError } from '@pepperpy/plugin'
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

  it('a persistent plugin whose key holds garbage fails initialize() with a StateError naming plugin and store', async () => {
    const s = store('pg:')
    const raw = createClient({ url: redis.url })
    await raw.connect()
    await raw.set('pg:stats/counter', 'garbage')
    await raw.close()
    const Counter = persistentPlugin(
      class extends PepperpyPlugin {
        counter = 0
      },
    )
    const c = instantiatePlugin(Counter, { type: 'stats', provider: 'counter', logger: silentLogger, context: { stateStore: s } })
    await expect(c.initialize()).rejects.toThrow(
      /cannot load state of "stats\/counter" from RedisStateStore\(redis:.*holds a value of another type/,
    )
  })

  it('when Redis stalls (SIGSTOP) operations fail with a StateError after timeoutMs; nothing hangs; pending state is written once it is back', async () => {
    const s = store('stall:', 500)
    const logs: string[] = []
    const Counter = persistentPlugin(
      class extends PepperpyPlugin {
        counter = 0
      },
      { debounceMs: 10, maxWaitMs: 50, pollMs: 20 },
    )
    const c = instantiatePlugin(Counter, {
      type: 'stats',
      provider: 'stall',
      logger: { ...silentLogger, error: (m: string) => void logs.push(m) },
      context: { stateStore: s },
    })
    await c.initialize()
    redis.pause()
    try {
      const t0 = Date.now()
      const error = await s.load('stats/stall').then(
        () => undefined,
        (e: unknown) => e as StateError,
      )
      expect(StateError.is(error)).toBe(true)
      expect(error?.message).toMatch(
        /loading state of "stats\/stall" in RedisStateStore\(redis:\/\/127\.0\.0\.1:\d+, prefix "stall:"\): Redis did not answer within 500 ms/,
      )
      expect(error?.pluginId).toBe('stats/stall')
      expect(Date.now() - t0).toBeLessThan(5000)
      c.counter = 7
      await flushState(c) // times out, reported, kept pending
      expect(logs.join('\n')).toMatch(/saving state of "stats\/stall".*did not answer within 500 ms/)
    } finally {
      redis.resume()
    }
    await c.cleanup() // retried until Redis answers
    expect((await s.load('stats/stall'))?.data['counter']).toBe(7)
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

  it('watch and sync: a save by another writer reaches a running instance within 1 s', async () => {
    const a = store('sync:')
    const b = store('sync:')
    const Shared = persistentPlugin(
      class extends PepperpyPlugin {
        motd = 'hello'
      },
      { sync: true },
    )
    const reader = instantiatePlugin(Shared, { type: 's', provider: 'x', logger: silentLogger, context: { stateStore: a } })
    const writer = instantiatePlugin(Shared, { type: 's', provider: 'x', logger: silentLogger, context: { stateStore: b } })
    await reader.initialize()
    await writer.initialize()
    await new Promise((r) => setTimeout(r, 300)) // the subscription is up
    writer.motd = 'from elsewhere'
    const t0 = Date.now()
    await flushState(writer)
    await expect.poll(() => reader.motd, { timeout: 1000, interval: 10 }).toBe('from elsewhere')
    expect(Date.now() - t0).toBeLessThan(1000)
    await reader.cleanup()
    await writer.cleanup()
  })
})
