/**
 * wide-graph-10000: order computation over 10,000 plugins and 30,000 edges
 * (manager.getInitializationOrder and the bare topologicalOrder), compared with 1,000 / 3,000.
 * The 1,000-plugin graph fits in the CPU caches and the 10,000 one does not, so a linear algorithm
 * still takes more than 10× as long; the case also times the least work any order computation over
 * string ids does (one pass of the same id lookups, no ordering) at both sizes, and counts the
 * scaling as linear when it is ≤15× or no worse than 1.25× that baseline's own scaling.
 */
import { PluginManager, PluginRegistry, topologicalOrder } from '@pepperpy/plugins'
import { sample, stats, type BenchCase } from '../harness.js'
import { graphDeps, median, noopClasses, r, silent } from './util.js'

async function managerWith(n: number, deps: number[][]): Promise<PluginManager> {
  const classes = noopClasses(n)
  const registry = new PluginRegistry({ defaultPaths: false, logger: silent })
  for (let i = 0; i < n; i++) {
    registry.register('w', `p${i}`, classes[i]!, { dependencies: deps[i]!.map((d) => ({ type: 'w', provider: `p${d}` })) })
  }
  const manager = new PluginManager({ resolver: registry, logger: silent })
  for (let i = 0; i < n; i++) await manager.createInstance('w', `p${i}`)
  await manager.initialize() // links the edges
  return manager
}

export const wide: BenchCase = {
  id: 'wide-graph-10000',
  what: 'initialization order of 10,000 plugins / 30,000 edges (getInitializationOrder) vs 1,000 / 3,000',
  goal: "linear: ratio ≤15, or ≤1.25× the id-lookup pass's own ratio",
  async run({ smoke }) {
    const [small, big] = smoke ? [100, 1000] : [1000, 10000]
    const dSmall = graphDeps(small, 3, true)
    const dBig = graphDeps(big, 3, true)
    const edges = dBig.reduce((s, d) => s + d.length, 0)
    const mSmall = await managerWith(small, dSmall)
    const mBig = await managerWith(big, dBig)
    const opts = { warmup: smoke ? 1 : 10, samples: smoke ? 2 : 31 }
    // ids in reverse order, so the DFS has real work to do
    const topo = (n: number, deps: number[][]) => {
      const ids = Array.from({ length: n }, (_, i) => `p${n - 1 - i}`)
      const edgesOf = new Map(ids.map((id) => [id, deps[Number(id.slice(1))]!.map((d) => `p${d}`)]))
      return () => topologicalOrder(ids, (id) => edgesOf.get(id)!)
    }
    // the floor: visit every plugin and look up each of its dependencies once, through a Map of ids
    const lookups = (n: number, deps: number[][]) => {
      const ids = Array.from({ length: n }, (_, i) => `p${n - 1 - i}`)
      const edgesOf = new Map(ids.map((id) => [id, deps[Number(id.slice(1))]!.map((d) => `p${d}`)]))
      return () => {
        let c = 0
        for (const id of ids) for (const d of edgesOf.get(id)!) c += edgesOf.get(d)!.length
        return c
      }
    }
    // the small graph's calls are ~0.1 ms: time ten per sample, so timer noise and a stray GC weigh less
    const s = (
      await sample(() => {
        for (let i = 0; i < 10; i++) mSmall.getInitializationOrder()
      }, opts)
    ).map((ms) => ms / 10)
    const b = stats(await sample(() => mBig.getInitializationOrder(), opts))
    const topoSmall = topo(small, dSmall)
    const ts =
      median(
        await sample(() => {
          for (let i = 0; i < 10; i++) topoSmall()
        }, opts),
      ) / 10
    const tb = median(await sample(topo(big, dBig), opts))
    const lookupsSmall = lookups(small, dSmall)
    const ls =
      median(
        await sample(() => {
          for (let i = 0; i < 10; i++) lookupsSmall()
        }, opts),
      ) / 10
    const lb = median(await sample(lookups(big, dBig), opts))
    const ratio = b.median / median(s)
    const floorRatio = lb / ls
    if (mBig.getInitializationOrder().length !== big) throw new Error('order incomplete')
    return {
      id: 'wide-graph-10000',
      what: this.what,
      ours: b.median,
      peer: 'id-lookup pass',
      peerValue: lb,
      ratio,
      unit: 'ms',
      samples: b.samples,
      spread: b.spread,
      goal: this.goal,
      met: ratio <= 15 || ratio <= 1.25 * floorRatio,
      note:
        `${big} plugins/${edges} edges: ${r(b.median)} ms vs ${small}: ${r(median(s))} ms (${r(ratio)}×); bare topologicalOrder ${r(tb)} ms vs ${r(ts)} ms (${r(tb / ts)}×); ` +
        `the id-lookup pass alone ${r(lb)} ms vs ${r(ls)} ms (${r(floorRatio)}×: the caches, not the algorithm)`,
    }
  },
}
