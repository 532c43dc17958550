import { describe, expectTypeOf, it } from 'vitest'
import { createPluginSystem, MemoryStateStore, PepperpyPlugin } from './index.js'
import type { PluginOf } from './index.js'

class TypedLlm extends PepperpyPlugin {
  async generate(prompt: string): Promise<string> {
    return prompt
  }
}

declare module '@pepperpy/plugin' {
  interface PluginTypes {
    'typed-llm': TypedLlm
  }
}

describe('PluginTypes augmentation', () => {
  it('types createProviderInstance by plugin type', async () => {
    const system = createPluginSystem({ defaultPaths: false, env: {}, stateStore: new MemoryStateStore() })
    system.registerPlugin('typed-llm', 'x', TypedLlm)
    const llm = await system.createProviderInstance('typed-llm', 'x')
    expectTypeOf(llm).toEqualTypeOf<TypedLlm>()
    expectTypeOf(await llm.generate('a')).toEqualTypeOf<string>()
    expectTypeOf<PluginOf<'unknown-type'>>().toEqualTypeOf<PepperpyPlugin>()
    await system.dispose()
  })
})
