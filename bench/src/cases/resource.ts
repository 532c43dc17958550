/**
 * resource-shared: getResource + releaseResource of a shared key (held by another plugin, so the
 * factory does not run) from a ResourceMixin plugin, per cycle.
 */
import { createPluginSystem, PepperpyPlugin, ResourceMixin } from '@pepperpy/plugins'
import { sample, stats, type BenchCase } from '../harness.js'
import { median, r, silent, tempDir } from './util.js'

class User extends ResourceMixin(PepperpyPlugin) {}

export const resource: BenchCase = {
  id: 'resource-shared',
  what: 'getResource + releaseResource of a shared key from a ResourceMixin plugin, per cycle',
  goal: '≤1 µs per cycle',
  async run({ smoke }) {
    const state = tempDir('resource')
    const system = createPluginSystem({ defaultPaths: false, logger: silent, stateDir: state.path })
    system.registerPlugin('svc', 'a', User)
    system.registerPlugin('svc', 'b', User)
    let created = 0
    const options = { factory: () => ({ id: ++created }), cleanup: () => {} }
    try {
      const a = (await system.createProviderInstance('svc', 'a')) as User
      const b = (await system.createProviderInstance('svc', 'b')) as User
      await a.getResource('db', options) // a keeps it: b's cycles share it
      const cycles = smoke ? 1000 : 200_000
      const loop = async (): Promise<void> => {
        for (let i = 0; i < cycles; i++) {
          await b.getResource('db', options)
          await b.releaseResource('db')
        }
      }
      // the same on the system's pool directly, for comparison
      const holder = {}
      const pool = system.resources
      const raw = async (): Promise<void> => {
        for (let i = 0; i < cycles; i++) {
          await pool.acquire('db', holder, options)
          await pool.release('db', holder)
        }
      }
      const opts = { warmup: smoke ? 1 : 3, samples: smoke ? 2 : 11 }
      const s = stats((await sample(loop, opts)).map((ms) => (ms * 1000) / cycles))
      const p = median((await sample(raw, opts)).map((ms) => (ms * 1000) / cycles))
      if (created !== 1) throw new Error(`factory ran ${created} times`)
      return {
        id: 'resource-shared',
        what: this.what,
        ours: s.median,
        peer: null,
        peerValue: null,
        ratio: null,
        unit: 'µs',
        samples: s.samples,
        spread: s.spread,
        goal: this.goal,
        met: s.median <= 1,
        note: `${r(s.median, 3)} µs per get+release through the mixin; ${r(p, 3)} µs on pool.acquire/release directly; factory ran once`,
      }
    } finally {
      await system.dispose()
      state.dispose()
    }
  },
}
