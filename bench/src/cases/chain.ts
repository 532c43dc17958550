/**
 * chain-scaling: resolve + initialize a chain of 10,000 plugins (each depends on the previous one)
 * vs a chain of 1,000; linear means a ratio near 10. Lumino's PluginRegistry does the same chain.
 */
import { PluginRegistry as LuminoRegistry, Token } from '@lumino/coreutils'
import { PluginManager, PluginRegistry } from '@pepperpy/plugins'
import { stats, type BenchCase } from '../harness.js'
import { interleaved, noopClasses, r, silent } from './util.js'

function ourChain(n: number): () => Promise<void> {
  const classes = noopClasses(n)
  return async () => {
    const registry = new PluginRegistry({ defaultPaths: false, logger: silent })
    for (let i = 0; i < n; i++) {
      registry.register('chain', `p${i}`, classes[i]!, i === 0 ? {} : { dependencies: [{ type: 'chain', provider: `p${i - 1}` }] })
    }
    const manager = new PluginManager({ resolver: registry, logger: silent })
    await manager.createInstance('chain', `p${n - 1}`) // the rest is reached through dependencies
    await manager.initialize()
    if (!manager.getInstance('chain', 'p0')?.initialized) throw new Error('chain not initialized')
  }
}

function luminoChain(n: number): () => Promise<void> {
  const tokens = Array.from({ length: n }, (_, i) => new Token<object>(`chain:p${i}`))
  return async () => {
    const registry = new LuminoRegistry()
    for (let i = 0; i < n; i++) {
      registry.registerPlugin({
        id: `chain:p${i}`,
        provides: tokens[i]!,
        requires: i === 0 ? [] : [tokens[i - 1]!],
        activate: () => ({}),
      })
    }
    await registry.activatePlugin(`chain:p${n - 1}`)
    if (!registry.isPluginActivated('chain:p0')) throw new Error('lumino chain not activated')
  }
}

export const chain: BenchCase = {
  id: 'chain-scaling',
  what: 'resolve + initialize a 10,000-plugin chain vs a 1,000-plugin chain (time ratio)',
  goal: '≤15× (linear)',
  async run({ smoke }) {
    const [small, big] = smoke ? [100, 1000] : [1000, 10000]
    const opts = { warmup: smoke ? 1 : 3, samples: smoke ? 1 : 7 }
    const t = await interleaved({ small: ourChain(small), big: ourChain(big) }, opts)
    const s = stats(t['small']!)
    const b = stats(t['big']!)
    const ratio = b.median / s.median
    let lumino = ''
    try {
      const l = await interleaved({ small: luminoChain(small), big: luminoChain(big) }, { warmup: 1, samples: smoke ? 1 : 3 })
      const ls = stats(l['small']!).median
      const lb = stats(l['big']!).median
      lumino = `Lumino PluginRegistry: ${r(ls)} ms / ${r(lb)} ms, ratio ${r(lb / ls)}×`
    } catch (error) {
      lumino = `Lumino PluginRegistry failed at ${big}: ${(error as Error).message.split('\n')[0]}`
    }
    return {
      id: 'chain-scaling',
      what: this.what,
      ours: b.median,
      peer: null,
      peerValue: null,
      ratio,
      unit: 'ms',
      samples: b.samples,
      spread: Math.max(s.spread, b.spread),
      goal: this.goal,
      met: ratio <= 15,
      note: `${small}: ${r(s.median)} ms, ${big}: ${r(b.median)} ms, ratio ${r(ratio)}×; ${lumino}`,
    }
  },
}
