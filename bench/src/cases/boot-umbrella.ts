/**
 * boot-1000-umbrella: the public path a user takes — `createPluginSystem`, `registerPlugin` x1,000
 * (each plugin depends on up to 3 earlier ones, the graph of boot-1000), `manager.createInstance`
 * x1,000, `manager.initialize()` — against avvio booting 1,000 async no-op plugins, interleaved in
 * one process. The system is disposed after each sample, untimed.
 */
import avvio from 'avvio'
import { createPluginSystem, PluginManager, PluginRegistry, type PluginSystem } from '@pepperpy/plugins'
import { gc, stats, type BenchCase } from '../harness.js'
import { graphDeps, noopClasses, r, silent } from './util.js'

export const bootUmbrella: BenchCase = {
  id: 'boot-1000-umbrella',
  what: 'createPluginSystem + registerPlugin x1,000 + manager.createInstance x1,000 + initialize(), vs avvio use() x1,000',
  goal: '≥1.5× faster than avvio',
  async run({ smoke }) {
    const n = smoke ? 50 : 1000
    const deps = graphDeps(n, 3)
    const edges = deps.reduce((s, d) => s + d.length, 0)
    const metadata = deps.map((d) => ({ dependencies: d.map((j) => ({ type: 'node', provider: `p${j}` })) }))
    let system: PluginSystem | undefined
    const ours = async (): Promise<void> => {
      const classes = noopClasses(n)
      const t0 = performance.now()
      system = createPluginSystem({ defaultPaths: false, logger: silent })
      for (let i = 0; i < n; i++) system.registerPlugin('node', `p${i}`, classes[i]!, metadata[i]!)
      for (let i = 0; i < n; i++) await system.manager.createInstance('node', `p${i}`)
      await system.manager.initialize()
      const ms = performance.now() - t0
      if (!system.manager.getInstance('node', `p${n - 1}`)?.initialized) throw new Error('not initialized')
      await system.dispose()
      system = undefined
      return void times.ours.push(ms)
    }
    const fns = Array.from({ length: n }, (_, i) => {
      const fn = async (): Promise<void> => {}
      Object.defineProperty(fn, 'name', { value: `p${i}` })
      return fn
    })
    const peer = async (): Promise<void> => {
      const t0 = performance.now()
      const app = avvio({}, { autostart: false })
      for (const fn of fns) app.use(fn)
      await app.ready()
      times.peer.push(performance.now() - t0)
    }
    // what the same fresh classes cost without the umbrella: through the registry and manager
    // directly, and the floor (new + initialize() in dependency order: no registry, manager, config,
    // graph or timeouts); the floor is what the contract's instances cost by themselves
    const direct = async (): Promise<void> => {
      const classes = noopClasses(n)
      const t0 = performance.now()
      const registry = new PluginRegistry({ defaultPaths: false, logger: silent })
      for (let i = 0; i < n; i++) registry.register('node', `p${i}`, classes[i]!, metadata[i]!)
      const manager = new PluginManager({ resolver: registry, logger: silent })
      for (let i = 0; i < n; i++) await manager.createInstance('node', `p${i}`)
      await manager.initialize()
      times.direct.push(performance.now() - t0)
      await manager.cleanup()
    }
    const bare = async (): Promise<void> => {
      const classes = noopClasses(n)
      const t0 = performance.now()
      const done: Array<Promise<void>> = []
      for (let i = 0; i < n; i++) {
        const plugin = new classes[i]!()
        done.push(Promise.all(deps[i]!.map((d) => done[d]!)).then(() => plugin.initialize()))
      }
      await Promise.all(done)
      times.bare.push(performance.now() - t0)
    }
    const times = { ours: [] as number[], peer: [] as number[], direct: [] as number[], bare: [] as number[] }
    const warmup = smoke ? 1 : 5
    const samples = smoke ? 2 : 15
    for (let i = 0; i < warmup + samples; i++) {
      // a macrotask first: WeakRefs made during a job keep their targets until the job ends, so
      // without it every earlier sample's 1,000 disposed plugins would still be live (and collected) here
      await new Promise((resolve) => setImmediate(resolve))
      gc()
      await ours()
      gc()
      await peer()
      for (const other of [direct, bare]) {
        await new Promise((resolve) => setImmediate(resolve))
        gc()
        await other()
      }
      if (i === warmup - 1) for (const list of Object.values(times)) list.length = 0
    }
    const a = stats(times.ours)
    const b = stats(times.peer)
    const ratio = b.median / a.median
    const viaParts = stats(times.direct).median
    const floor = stats(times.bare).median
    return {
      id: 'boot-1000-umbrella',
      what: this.what,
      ours: a.median,
      peer: 'avvio 9',
      peerValue: b.median,
      ratio,
      unit: 'ms',
      samples: a.samples,
      spread: Math.max(a.spread, b.spread),
      goal: this.goal,
      met: ratio >= 1.5,
      note:
        `${n} plugins, ${edges} edges through the umbrella (createPluginSystem, registerPlugin, manager.createInstance, initialize): ${r(a.median)} ms, avvio ${r(b.median)} ms (${r(ratio)}× faster than avvio); ` +
        `the same fresh classes through PluginRegistry + PluginManager directly: ${r(viaParts)} ms; the bare instances alone (new + initialize() in dependency order): ${r(floor)} ms, ` +
        `${r(floor / (b.median / 1.5))}× the ${r(b.median / 1.5)} ms that 1.5× faster than avvio allows for everything`,
    }
  },
}
