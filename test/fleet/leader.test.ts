// Leader plugins over RedisLeaseProvider with real processes and a real redis-server (DESIGN 6.2):
// one leader at a time, takeover after SIGKILL within ttlMs + 1 s, strictly increasing fencing
// tokens (also after a redis SIGKILL and restart in the middle, with a leader and a standby
// running), and a lease lost while leading cleans the plugin up before another holder starts.
import { readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PepperpyPlugin } from '@pepperpy/plugin'
import { createPluginSystem } from '@pepperpy/plugins'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runRedisTests, startRedis, type TestRedis } from '../../packages/redis/src/__tests__/redis-server.js'
import { type Child, startScript } from './spawn.js'
import { RedisLeaseProvider } from '@pepperpy/redis'
import { createClient } from 'redis'

const worker = join(import.meta.dirname, 'workers', 'leader-worker.ts')
const TTL = 1500
const LEASE = 'pepperpy:lease:leader:jobs/scheduler'

interface Line {
  token: number
  pid: number
  action: string
  at: number
}
const readLog = (file: string): Line[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [token, pid, action, at] = l.split(' ')
      return { token: Number(token), pid: Number(pid), action: action!, at: Number(at) }
    })

describe.runIf(runRedisTests)('leader plugins (real processes, real redis-server)', () => {
  let redis: TestRedis
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await redis?.stop()
  })

  it('three processes: one leader at a time, takeover after SIGKILL within ttlMs + 1 s, fencing tokens strictly increasing, also after a redis SIGKILL and restart in the middle', async () => {
    const log = join(tmpdir(), `pepperpy-leader-${process.pid}-${Date.now()}.log`)
    writeFileSync(log, '')
    const children: Child[] = [0, 1, 2].map(() => startScript(worker, [redis.url, log, String(TTL)]))
    try {
      await Promise.all(children.map((c) => c.waitFor('waiting')))
      const alive = new Set(children)
      const takeovers: number[] = []
      /** The leader that renewed its lease after `since`, once it has acted a few times. */
      const actingLeader = async (since: number) => {
        const leader = await settledLeader(redis.url, since, [...alive], log)
        await expect
          .poll(() => readLog(log).filter((l) => l.token === leader.token && l.action === 'tick').length, { timeout: 10_000 })
          .toBeGreaterThan(3)
        return leader
      }
      /** Kills the leader with SIGKILL; returns how long until another process started leading. */
      const killLeader = async (since: number): Promise<number> => {
        const leader = await actingLeader(since)
        alive.delete(leader.child)
        const killedAt = Date.now()
        leader.child.proc.kill('SIGKILL')
        await leader.child.exited
        const others = new Set([...alive].map((c) => c.proc.pid))
        const next = () => readLog(log).find((l) => l.action === 'start' && others.has(l.pid) && l.at >= killedAt)
        await expect.poll(() => next() !== undefined, { timeout: 30_000, interval: 20 }).toBe(true)
        expect(next()!.token).toBeGreaterThan(leader.token)
        return next()!.at - killedAt
      }
      // a quick redis SIGKILL and restart under an acting leader (three processes running): the lease
      // and the fencing counter survive (AOF); whoever holds the lease afterwards renewed it there
      await actingLeader(0)
      await redis.crashAndRestart()
      takeovers.push(await killLeader(Date.now()))
      // a longer outage with a leader and a standby: no renewal is confirmed, the leader stops
      // (lease lost) while Redis is down; after the restart one of the two leads with a larger token
      const before = await actingLeader(0)
      await redis.kill()
      const stopped = () => readLog(log).find((l) => l.token === before.token && l.action === 'stop')
      await expect.poll(() => stopped() !== undefined, { timeout: 10_000 }).toBe(true)
      const stoppedAt = stopped()!.at
      await redis.start()
      const restartedAt = Date.now()
      takeovers.push(await killLeader(restartedAt))
      const last = [...alive][0]!
      last.proc.kill('SIGTERM')
      expect((await last.exited).code).toBe(0)
      for (const t of takeovers) expect(t).toBeLessThan(TTL + 1000)
      const lines = readLog(log)
      expect(lines.filter((l) => l.action === 'start' && l.at >= stoppedAt).length).toBeGreaterThanOrEqual(2) // re-elected, then the takeover
      const starts = lines.filter((l) => l.action === 'start')
      expect(starts.length).toBeGreaterThanOrEqual(3)
      for (let i = 1; i < starts.length; i++) expect(starts[i]!.token).toBeGreaterThan(starts[i - 1]!.token)
      // never two leaders at once: in log order, once a newer token acted, no older token acts again
      let highest = 0
      for (const l of lines) {
        expect(l.token).toBeGreaterThanOrEqual(highest)
        highest = l.token
      }
      const owners = new Map<number, number>()
      for (const l of lines) expect(owners.set(l.token, owners.get(l.token) ?? l.pid).get(l.token)).toBe(l.pid) // one process per token
      expect(lines.at(-1)).toMatchObject({ action: 'stop' })
    } finally {
      for (const c of children) c.proc.kill('SIGKILL')
    }
  }, 120_000)

  it('a lease lost while leading (Redis stalls): lost fires, the plugin is cleaned up, then another holder gets a larger token', async () => {
    const events: string[] = []
    const lease = new RedisLeaseProvider({ url: redis.url, ttlMs: 600 })
    const other = new RedisLeaseProvider({ url: redis.url, ttlMs: 600 })
    const system = createPluginSystem({ lease, defaultPaths: false, logger: { debug() {}, info() {}, warn() {}, error() {} } })
    class Ingest extends PepperpyPlugin {
      override async initialize() {
        events.push(`start ${this.lease?.token}`)
      }
      override async cleanup() {
        events.push('cleanup')
      }
    }
    system.registerPlugin('jobs', 'ingest', Ingest, { leader: true })
    const p = await system.createProviderInstance('jobs', 'ingest')
    await p.initialize()
    const token = p.lease!.token
    const lost = new Promise((r) => p.lease!.lost.addEventListener('abort', r))
    redis.pause()
    await lost.finally(() => redis.resume()) // renewals cannot be confirmed; lost fires before the lease can expire
    events.push('lost')
    const next = await other.acquire('leader:jobs/ingest')
    events.push(`other ${next.token}`)
    await expect.poll(() => p.initialized, { timeout: 5000 }).toBe(false)
    expect(events[0]).toBe(`start ${token}`)
    expect(events).toContain('cleanup')
    expect(events.indexOf('cleanup')).toBeLessThan(events.indexOf(`other ${next.token}`))
    expect(next.token).toBe(token + 1)
    await next.release()
    await system.dispose()
    await lease.close()
    await other.close()
  }, 60_000)
})

/**
 * The process holding the lease, as Redis has it, once the lease was renewed (or won) after `since`
 * (so it is not one about to be lost to an earlier outage) and its holder logged its start.
 */
async function settledLeader(url: string, since: number, alive: Child[], log: string): Promise<{ child: Child; token: number }> {
  const raw = createClient({ url })
  await raw.connect()
  try {
    const deadline = Date.now() + 30_000
    for (;;) {
      const asked = Date.now()
      // one script: the holder and its remaining time read together
      const [value, pttl] = (await raw.sendCommand([
        'EVAL',
        "return {redis.call('GET', KEYS[1]) or '', redis.call('PTTL', KEYS[1])}",
        '1',
        LEASE,
      ])) as [string, number]
      const [owner, token] = value.split(' ')
      const child = alive.find((c) => `${c.proc.pid}` === owner?.split('-')[0])
      // asked + pttl is at most the expiry; at least since + TTL only for a renewal made after `since`
      if (
        child &&
        asked + Number(pttl) >= since + TTL &&
        readLog(log).some((l) => l.action === 'start' && l.token === Number(token) && l.pid === child.proc.pid)
      )
        return { child, token: Number(token) }
      if (Date.now() > deadline)
        throw new Error(`no settled leader; lease holds "${value}" (pttl ${pttl}); log:\n${readFileSync(log, 'utf8')}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  } finally {
    raw.destroy()
  }
}
