/**
 * pool: createPool acquire/release with 1 and with 50 concurrent borrowers (max 10), against
 * generic-pool and tarn with the same settings.
 */
import genericPool from 'generic-pool'
import { Pool as TarnPool } from 'tarn'
import { createPool } from '@pepperpy/plugins'
import { stats, type BenchCase, type CaseResult } from '../harness.js'
import { interleaved, r, silent } from './util.js'

interface Contender {
  acquire(): Promise<object>
  release(x: object): void
  drain(): Promise<void>
}

let ids = 0
const make = (): object => ({ id: ++ids })

function ours(): Contender {
  const pool = createPool<object>({ create: make, destroy: () => {}, max: 10, min: 0, logger: silent })
  return { acquire: () => pool.acquire(), release: (x) => pool.release(x), drain: () => pool.drain() }
}
function generic(): Contender {
  const pool = genericPool.createPool<object>({ create: async () => make(), destroy: async () => {} }, { max: 10, min: 0 })
  return {
    acquire: () => pool.acquire(),
    release: (x) => void pool.release(x),
    drain: async () => {
      await pool.drain()
      await pool.clear()
    },
  }
}
function tarn(): Contender {
  const pool = new TarnPool<object>({ create: async () => make(), destroy: () => {}, min: 0, max: 10 })
  return { acquire: () => pool.acquire().promise, release: (x) => void pool.release(x), drain: () => pool.destroy() }
}

/** `cycles` acquire/release pairs spread over `borrowers` concurrent loops; each holds across one tick. */
async function work(c: Contender, cycles: number, borrowers: number): Promise<void> {
  const per = Math.ceil(cycles / borrowers)
  const loop = async (): Promise<void> => {
    for (let i = 0; i < per; i++) {
      const x = await c.acquire()
      if (borrowers > 1) await null // hold it across a microtask so borrowers really contend
      c.release(x)
    }
  }
  await Promise.all(Array.from({ length: borrowers }, loop))
}

export const pool: BenchCase = {
  id: 'pool',
  what: 'createPool acquire/release (max 10), 1 and 50 concurrent borrowers, vs generic-pool and tarn',
  goal: '≥2× generic-pool',
  async run({ smoke }) {
    const cycles = smoke ? 2000 : 100_000
    const out: CaseResult[] = []
    const pools = { ours: ours(), generic: generic(), tarn: tarn() }
    try {
      for (const borrowers of [1, 50]) {
        const fns = Object.fromEntries(Object.entries(pools).map(([k, c]) => [k, () => work(c, cycles, borrowers)]))
        const t = await interleaved(fns, { warmup: smoke ? 1 : 3, samples: smoke ? 2 : 11 })
        const us = (k: string) => stats(t[k]!.map((ms) => (ms * 1000) / cycles))
        const a = us('ours')
        const g = us('generic')
        const tn = us('tarn')
        const ratio = g.median / a.median
        out.push({
          id: `pool-${borrowers}`,
          what: `createPool acquire+release per cycle, ${borrowers} borrower${borrowers > 1 ? 's' : ''}, max 10`,
          ours: a.median,
          peer: 'generic-pool 3',
          peerValue: g.median,
          ratio,
          unit: 'µs',
          samples: a.samples,
          spread: Math.max(a.spread, g.spread),
          goal: this.goal,
          met: ratio >= 2,
          note: `ours ${r(a.median, 3)} µs, generic-pool ${r(g.median, 3)} µs (${r(ratio)}×), tarn ${r(tn.median, 3)} µs (${r(tn.median / a.median)}×) per cycle`,
        })
      }
    } finally {
      await Promise.all(Object.values(pools).map((p) => p.drain()))
    }
    return out
  },
}
