/**
 * redis-state: RedisStateStore load and save (with its revision check) against the same
 * operations written directly with the bare `redis` client (HMGET + JSON.parse; SET of the JSON),
 * on one real redis-server started for the case, interleaved.
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { RedisStateStore } from '@pepperpy/redis'
import { createClient } from 'redis'
import { type BenchCase, type CaseResult, stats } from '../harness.js'
import { interleaved, r, tempDir } from './util.js'

const data = { counter: 41, label: 'hello', items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `item-${i}` })) }

export const redisState: BenchCase = {
  id: 'redis-state',
  what: 'RedisStateStore load / save vs the bare redis client doing the same on the same server, per operation',
  goal: '≤1.2× the bare client',
  async run({ smoke }) {
    const dir = tempDir('redis')
    const port = await freePort()
    const server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir.path, '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    )
    const url = `redis://127.0.0.1:${port}`
    const store = new RedisStateStore({ url })
    const bare = createClient({ url })
    try {
      await waitUp(url)
      await bare.connect()
      const ops = smoke ? 20 : 500
      let rev = 0
      await store.save('bench/state', { version: 1, data }, { expectedRevision: rev++ })
      await bare.set('bare:bench/state', JSON.stringify({ version: 1, data }))
      const contenders = {
        oursLoad: async () => {
          for (let i = 0; i < ops; i++) await store.load('bench/state')
        },
        bareLoad: async () => {
          for (let i = 0; i < ops; i++) JSON.parse((await bare.get('bare:bench/state')) ?? '')
        },
        oursSave: async () => {
          for (let i = 0; i < ops; i++) await store.save('bench/state', { version: 1, data }, { expectedRevision: rev++, writeId: `w${i}` })
        },
        bareSave: async () => {
          for (let i = 0; i < ops; i++)
            await bare.set('bare:bench/state', JSON.stringify({ version: 1, data, savedAt: new Date().toISOString() }))
        },
      }
      const t = await interleaved(contenders, { warmup: smoke ? 1 : 3, samples: smoke ? 2 : 9 })
      const per = (k: keyof typeof contenders) => stats(t[k]!.map((ms) => (ms * 1000) / ops))
      const row = (op: 'load' | 'save'): CaseResult => {
        const ours = per(op === 'load' ? 'oursLoad' : 'oursSave')
        const peer = per(op === 'load' ? 'bareLoad' : 'bareSave')
        const ratio = ours.median / peer.median
        return {
          id: `redis-state-${op}`,
          what: `RedisStateStore ${op} vs bare redis ${op === 'load' ? 'GET + JSON.parse' : 'SET'} (same server)`,
          ours: ours.median,
          peer: 'redis (bare client)',
          peerValue: peer.median,
          ratio,
          unit: 'µs',
          samples: ours.samples,
          spread: ours.spread,
          goal: this.goal,
          met: ratio <= 1.2,
          note: `${r(ours.median)} µs vs ${r(peer.median)} µs per ${op} (${r(ratio)}×)${op === 'save' ? '; ours also checks the revision and publishes the change' : ''}`,
        }
      }
      return [row('load'), row('save')]
    } finally {
      await store.close()
      await bare.close().catch(() => {})
      server.kill('SIGKILL')
      dir.dispose()
    }
  },
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

async function waitUp(url: string): Promise<void> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const probe = createClient({ url, socket: { reconnectStrategy: false } })
    probe.on('error', () => {})
    try {
      await probe.connect()
      await probe.ping()
      await probe.close()
      return
    } catch {
      if (Date.now() > deadline) throw new Error(`redis-server did not start at ${url}`)
      await new Promise((res) => setTimeout(res, 50))
    }
  }
}
