/**
 * redis-state: RedisStateStore load and save against the same operations issued directly with the
 * bare `redis` client on one real redis-server started for the case, interleaved: the same HMGET +
 * JSON.parse for a load, the same revision-checked Lua save (EVALSHA) for a save. The note also
 * gives a plain GET / SET of the JSON (no revision check, no change notification) for scale.
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { RedisStateStore } from '@pepperpy/redis'
import { SAVE_SHA } from '../../../packages/redis/src/scripts.js'
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
      let bareRev = 1
      await bare.hSet('bare:bench/state', { format: '1', rev: '1', body: JSON.stringify({ version: 1, data }), w: '' })
      await bare.set('plain:bench/state', JSON.stringify({ version: 1, data }))
      const bareSaveArgs = (i: number) => [
        'EVALSHA',
        SAVE_SHA,
        '2',
        'bare:bench/state',
        'bare:changes',
        JSON.stringify({ version: 1, data, savedAt: new Date().toISOString() }),
        String(bareRev++),
        `w${i}`,
        'bench/state',
      ]
      const contenders = {
        oursLoad: async () => {
          for (let i = 0; i < ops; i++) await store.load('bench/state')
        },
        bareLoad: async () => {
          for (let i = 0; i < ops; i++) {
            const [, , body] = (await bare.sendCommand(['HMGET', 'bare:bench/state', 'format', 'rev', 'body', 'w'])) as string[]
            JSON.parse(body ?? '')
          }
        },
        plainLoad: async () => {
          for (let i = 0; i < ops; i++) JSON.parse((await bare.get('plain:bench/state')) ?? '')
        },
        oursSave: async () => {
          for (let i = 0; i < ops; i++) await store.save('bench/state', { version: 1, data }, { expectedRevision: rev++, writeId: `w${i}` })
        },
        bareSave: async () => {
          for (let i = 0; i < ops; i++) await bare.sendCommand(bareSaveArgs(i))
        },
        plainSave: async () => {
          for (let i = 0; i < ops; i++)
            await bare.set('plain:bench/state', JSON.stringify({ version: 1, data, savedAt: new Date().toISOString() }))
        },
      }
      const t = await interleaved(contenders, { warmup: smoke ? 1 : 3, samples: smoke ? 2 : 21 })
      const per = (k: keyof typeof contenders) => stats(t[k]!.map((ms) => (ms * 1000) / ops))
      const row = (op: 'load' | 'save'): CaseResult => {
        const ours = per(op === 'load' ? 'oursLoad' : 'oursSave')
        const peer = per(op === 'load' ? 'bareLoad' : 'bareSave')
        const plain = per(op === 'load' ? 'plainLoad' : 'plainSave')
        const ratio = ours.median / peer.median
        return {
          id: `redis-state-${op}`,
          what: `RedisStateStore ${op} vs the bare redis client sending the same commands (${op === 'load' ? 'HMGET + JSON.parse' : 'EVALSHA of the same revision-checked script'})`,
          ours: ours.median,
          peer: 'redis (bare client)',
          peerValue: peer.median,
          ratio,
          unit: 'µs',
          samples: ours.samples,
          spread: ours.spread,
          goal: this.goal,
          met: ratio <= 1.2,
          note: `${r(ours.median)} µs vs ${r(peer.median)} µs per ${op} (${r(ratio)}×); a plain ${op === 'load' ? 'GET' : 'SET'} of the JSON without revision check: ${r(plain.median)} µs (${r(ours.median / plain.median)}×)`,
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
