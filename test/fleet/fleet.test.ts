// Real processes sharing one RedisStateStore on a real redis-server (DESIGN 6.2, issue 20): exact
// sums for a counter declared with merge: { counter: 'sum' }, also across a redis crash and restart.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runRedisTests, startRedis, type TestRedis } from '../../packages/redis/src/__tests__/redis-server.js'
import { startScript } from './spawn.js'
import { flushState, persistentPlugin } from '@pepperpy/extensions'
import { PepperpyPlugin, silentLogger } from '@pepperpy/plugin'
import { instantiatePlugin } from '@pepperpy/plugin/spi'
import { RedisStateStore } from '@pepperpy/redis'
import { createClient } from 'redis'

const worker = join(import.meta.dirname, 'workers', 'counter-worker.ts')

describe.runIf(runRedisTests)('processes sharing one RedisStateStore', () => {
  let redis: TestRedis
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await redis?.stop()
  })
  const total = async () => {
    const store = new RedisStateStore({ url: redis.url })
    try {
      return await store.load('fleet/counter')
    } finally {
      await store.close()
    }
  }
  /** How many connections listen on the change channel (the reader's subscription). */
  const subscribers = async (): Promise<number> => {
    const raw = createClient({ url: redis.url })
    await raw.connect()
    try {
      const reply = (await raw.sendCommand(['PUBSUB', 'NUMSUB', 'pepperpy:state:changes'])) as [string, number]
      return Number(reply[1])
    } finally {
      raw.destroy()
    }
  }
  const reset = async () => {
    const store = new RedisStateStore({ url: redis.url })
    await store.delete('fleet/counter')
    await store.close()
  }

  for (const [processes, n] of [
    [2, 100],
    [8, 25],
  ] as const) {
    it(`${processes} processes incrementing one counter ${n} times each end at exactly ${processes * n}`, async () => {
      await reset()
      const children = Array.from({ length: processes }, () => startScript(worker, [redis.url, String(n)]))
      const results = await Promise.all(children.map((c) => c.exited))
      for (const [i, r] of results.entries())
        expect({ code: r.code, out: children[i]!.out(), err: r.stderr }).toEqual({ code: 0, out: `done ${n}\n`, err: '' })
      const stored = await total()
      expect(stored?.data['counter']).toBe(processes * n)
      expect(stored?.revision).toBeGreaterThanOrEqual(processes)
    }, 120_000)
  }

  it('8 processes keep an exact sum across a redis SIGKILL and restart in the middle (nothing acknowledged lost)', async () => {
    const processes = 8
    const n = 100
    await reset()
    // each process stops at n/2 (every increment so far saved) until released with SIGUSR2; the
    // second half sleeps 20 ms every 5 increments, so it lasts at least 200 ms
    const children = Array.from({ length: processes }, () => startScript(worker, [redis.url, String(n), '5', 'gate']))
    try {
      await Promise.all(children.map((c) => c.waitFor('half', 90_000)))
      const half = (processes * n) / 2
      await expect.poll(async () => (await total())?.data['counter'], { timeout: 10_000, interval: 20 }).toBe(half)
      const atGate = (await total())?.revision ?? 0
      for (const c of children) c.proc.kill('SIGUSR2')
      // crash while the processes are saving their second halves, right after one such save was acknowledged
      let seen = await total()
      for (const deadline = Date.now() + 10_000; (seen?.revision ?? 0) <= atGate; seen = await total())
        if (Date.now() > deadline) throw new Error('no save after the processes were released')
      expect(children.filter((c) => c.proc.exitCode !== null)).toEqual([]) // all mid-run
      await redis.crashAndRestart()
      // nothing acknowledged before the crash is lost (AOF, fsync per write)
      const afterRestart = await total()
      expect(afterRestart?.revision).toBeGreaterThanOrEqual(seen!.revision!)
      expect(afterRestart?.data['counter']).toBeGreaterThanOrEqual(seen!.data['counter'] as number)
      expect(seen!.data['counter']).toBeGreaterThan(half)
      const results = await Promise.all(children.map((c) => c.exited))
      for (const [i, r] of results.entries())
        expect({ code: r.code, out: children[i]!.out(), err: r.stderr }).toEqual({ code: 0, out: `half\ndone ${n}\n`, err: '' })
      expect((await total())?.data['counter']).toBe(processes * n)
    } finally {
      for (const c of children) c.proc.kill('SIGKILL')
    }
  }, 150_000)

  it('sync: true — a change saved by another process appears in this running instance within 1 s (also after a redis restart); its own unsaved field is kept', async () => {
    const store = new RedisStateStore({ url: redis.url })
    const Shared = persistentPlugin(
      class extends PepperpyPlugin {
        motd = 'hello'
        local = 0
      },
      { sync: true, debounceMs: 60_000, maxWaitMs: 60_000 },
    )
    const reader = instantiatePlugin(Shared, { type: 's', provider: 'proc', logger: silentLogger, context: { stateStore: store } })
    await reader.initialize()
    reader.local = 5 // changed here, not saved yet: sync must not overwrite it
    await expect.poll(subscribers, { timeout: 10_000, interval: 20 }).toBe(1) // the reader listens for changes
    const writer = startScript(join(import.meta.dirname, 'workers', 'sync-writer.ts'), [redis.url, 'from another process'])
    await writer.waitFor('saved')
    const savedAt = Date.now()
    await expect.poll(() => reader.motd, { timeout: 1000, interval: 10 }).toBe('from another process')
    expect(Date.now() - savedAt).toBeLessThan(1000)
    expect(reader.local).toBe(5)
    expect((await writer.exited).code).toBe(0)
    // a redis crash and restart under the running reader: its subscription comes back by itself
    // (reconnect backoff up to 1 s) and it sees the next save within 1 s
    await redis.crashAndRestart()
    await expect.poll(subscribers, { timeout: 10_000, interval: 20 }).toBe(1)
    const second = startScript(join(import.meta.dirname, 'workers', 'sync-writer.ts'), [redis.url, 'after the restart'])
    await second.waitFor('saved')
    const secondAt = Date.now()
    await expect.poll(() => reader.motd, { timeout: 1000, interval: 10 }).toBe('after the restart')
    expect(Date.now() - secondAt).toBeLessThan(1000)
    expect((await second.exited).code).toBe(0)
    await flushState(reader)
    expect((await store.load('s/proc'))?.data).toEqual({ motd: 'after the restart', local: 5 })
    await reader.cleanup()
    await store.close()
  }, 60_000)
})
