// RedisStateStore under persistent plugins (real redis-server): garbage fails initialize(), a stall
// keeps state pending until Redis is back, sync between two stores.
import { flushState, persistentPlugin } from '@pepperpy/extensions'
import { PepperpyPlugin, silentLogger, StateError } from '@pepperpy/plugin'
import { instantiatePlugin } from '@pepperpy/plugin/spi'
import { RedisStateStore } from '@pepperpy/redis'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runRedisTests, startRedis, type TestRedis } from '../../packages/redis/src/__tests__/redis-server.js'

describe.runIf(runRedisTests)('persistent plugins over RedisStateStore (real redis-server)', () => {
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
