/**
 * create: createProviderInstance of a registered class with a config schema (after warm-up) vs
 * `new Class()` + Object.assign of the same config.
 */
import { createPluginSystem, PepperpyPlugin } from '@pepperpy/plugins'
import { stats, type BenchCase } from '../harness.js'
import { interleaved, r, silent, tempDir } from './util.js'

class Chat extends PepperpyPlugin {
  static override configSchema = {
    type: 'object',
    properties: {
      model: { type: 'string', default: 'echo-1' },
      temperature: { type: 'number', minimum: 0, maximum: 2, default: 0.7 },
      maxTokens: { type: 'integer', minimum: 1, default: 256 },
      stream: { type: 'boolean', default: false },
    },
  }
  model = 'echo-1'
  temperature = 0.7
  maxTokens = 256
  stream = false
}

class PlainChat {
  model = 'echo-1'
  temperature = 0.7
  maxTokens = 256
  stream = false
}

export const create: BenchCase = {
  id: 'create',
  what: 'createProviderInstance of a registered class with a config schema vs new Class() + Object.assign(config)',
  goal: '≤20×',
  async run({ smoke }) {
    const state = tempDir('create')
    const system = createPluginSystem({ defaultPaths: false, logger: silent, stateDir: state.path })
    system.registerPlugin('llm', 'chat', Chat)
    const config = { model: 'echo-2', temperature: 0.2 }
    const ops = smoke ? 200 : 20_000
    let sink: unknown
    const ours = async (): Promise<void> => {
      for (let i = 0; i < ops; i++) sink = await system.createProviderInstance('llm', 'chat', config)
    }
    const peer = async (): Promise<void> => {
      for (let i = 0; i < ops; i++) sink = Object.assign(new Chat(), config)
    }
    const plain = async (): Promise<void> => {
      for (let i = 0; i < ops; i++) sink = Object.assign(new PlainChat(), config)
    }
    try {
      const t = await interleaved({ ours, peer, plain }, { warmup: smoke ? 1 : 3, samples: smoke ? 2 : 11 })
      const check = (await system.createProviderInstance('llm', 'chat', config)) as Chat
      if (check.model !== 'echo-2' || check.maxTokens !== 256) throw new Error(`wrong config: ${check.model} ${check.maxTokens}`)
      void sink
      const us = (v: number[]) => stats(v.map((ms) => (ms * 1000) / ops))
      const a = us(t['ours']!)
      const b = us(t['peer']!)
      const c = us(t['plain']!)
      const ratio = a.median / b.median
      return {
        id: 'create',
        what: this.what,
        ours: a.median,
        peer: 'new Class() + assign',
        peerValue: b.median,
        ratio,
        unit: 'µs',
        samples: a.samples,
        spread: Math.max(a.spread, b.spread),
        goal: this.goal,
        met: ratio <= 20,
        note: `${r(a.median)} µs vs ${r(b.median)} µs per instance (same PepperpyPlugin subclass); a plain class without PepperpyPlugin: ${r(c.median, 3)} µs (${r(a.median / c.median)}×)`,
      }
    } finally {
      await system.dispose()
      state.dispose()
    }
  },
}
