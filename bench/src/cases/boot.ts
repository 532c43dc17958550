/**
 * boot-1000: create + initialize 1,000 no-op plugins wired by a realistic graph (each depends on
 * up to 3 earlier ones) through PluginManager, against avvio loading 1,000 plugins with `use`.
 * boot-1000-traced: the same boot with a subscriber on every diagnostics channel, against the
 * same boot without one (the cost of being observed).
 */
import avvio from 'avvio'
import { PluginManager, PluginRegistry } from '@pepperpy/plugins'
import { stats, type BenchCase, type CaseResult } from '../harness.js'
import { subscribeAll } from './subscriber.js'
import { graphDeps, interleaved, noopClasses, r, silent } from './util.js'

export const boot: BenchCase = {
  id: 'boot-1000',
  what: 'create + initialize 1,000 no-op plugins (each depends on up to 3 earlier ones) vs avvio use() x1,000',
  goal: '≥5× faster than avvio',
  async run({ smoke }) {
    const n = smoke ? 50 : 1000
    const deps = graphDeps(n, 3)
    const classes = noopClasses(n)
    const edges = deps.reduce((s, d) => s + d.length, 0)

    const ours = async (): Promise<void> => {
      const registry = new PluginRegistry({ defaultPaths: false, logger: silent })
      for (let i = 0; i < n; i++) {
        registry.register('node', `p${i}`, classes[i]!, {
          dependencies: deps[i]!.map((d) => ({ type: 'node', provider: `p${d}` })),
        })
      }
      const manager = new PluginManager({ resolver: registry, logger: silent })
      for (let i = 0; i < n; i++) await manager.createInstance('node', `p${i}`)
      await manager.initialize()
      if (!manager.getInstance('node', `p${n - 1}`)?.initialized) throw new Error('not initialized')
    }

    // avvio has no dependency graph: plugins load in `use` order, one after the other, so they are
    // registered in dependency order (every dependency is an earlier plugin); each plugin is an
    // async no-op, like ours.
    const fns = Array.from({ length: n }, (_, i) => {
      const fn = async (): Promise<void> => {}
      Object.defineProperty(fn, 'name', { value: `p${i}` })
      return fn
    })
    const peer = async (): Promise<void> => {
      const app = avvio({}, { autostart: false })
      for (const fn of fns) app.use(fn)
      await app.ready()
    }

    // the floor: the same classes constructed and initialized in dependency order, without registry
    // or manager (no config, no graph, no timeouts): what the contract's instances cost by themselves
    const bare = async (): Promise<void> => {
      const done: Array<Promise<void>> = []
      for (let i = 0; i < n; i++) {
        const plugin = new classes[i]!()
        done.push(Promise.all(deps[i]!.map((d) => done[d]!)).then(() => plugin.initialize()))
      }
      await Promise.all(done)
    }

    let operations = 0
    const traced = async (): Promise<void> => {
      const subscriber = subscribeAll()
      try {
        await ours()
      } finally {
        subscriber.stop()
      }
      operations = subscriber.seen()
    }

    const t = await interleaved({ ours, peer, bare, traced }, { warmup: smoke ? 1 : 5, samples: smoke ? 2 : 15 })
    const a = stats(t['ours']!)
    const b = stats(t['peer']!)
    const floor = stats(t['bare']!).median
    const ratio = b.median / a.median
    const c = stats(t['traced']!)
    if (operations < n) throw new Error(`the subscriber saw ${operations} operations; expected at least ${n} (one initialize per plugin)`)
    const observed: CaseResult = {
      id: 'boot-1000-traced',
      what: 'boot-1000 with a subscriber on every pepperpy diagnostics channel vs the same boot without one',
      ours: c.median,
      peer: 'no subscriber',
      peerValue: a.median,
      ratio: c.median / a.median,
      unit: 'ms',
      samples: c.samples,
      spread: Math.max(a.spread, c.spread),
      goal: '≤2× the boot without a subscriber',
      met: c.median / a.median <= 2,
      note: `${operations} traced operations per boot: ${r(c.median)} ms with a subscriber, ${r(a.median)} ms without (${r(c.median / a.median)}×, ${r(((c.median - a.median) / operations) * 1000)} µs per operation)`,
    }
    const result: CaseResult = {
      id: 'boot-1000',
      what: this.what,
      ours: a.median,
      peer: 'avvio 9',
      peerValue: b.median,
      ratio,
      unit: 'ms',
      samples: a.samples,
      spread: Math.max(a.spread, b.spread),
      goal: this.goal,
      met: ratio >= 5,
      note:
        `${n} plugins, ${edges} edges (registry + manager + createInstance + initialize): ${r(a.median)} ms, avvio ${r(b.median)} ms (${r(ratio)}×); ` +
        `the bare PepperpyPlugin instances alone (new + initialize() in dependency order, no registry or manager) take ${r(floor)} ms, ` +
        `${r(floor / (b.median / 5))}× the ${r(b.median / 5)} ms that 5× faster than avvio would allow for everything`,
    }
    return [result, observed]
  },
}
