import { describe, expectTypeOf, it } from 'vitest'
import { createPluginSystem, MemoryStateStore, PepperpyPlugin } from './index.js'
import type { PluginOf } from './index.js'
import type * as contract from '@pepperpy/plugin'
import type * as manager from '@pepperpy/manager'
import type * as registry from '@pepperpy/registry'
import type * as umbrella from './index.js'

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

describe('one type per concept, from the contract', () => {
  it('plugin metadata: the registry, the umbrella and (in part) the manager read the same type', () => {
    expectTypeOf<registry.PluginMetadata>().toEqualTypeOf<contract.PluginMetadata>()
    expectTypeOf<umbrella.PluginMetadata>().toEqualTypeOf<contract.PluginMetadata>()
    expectTypeOf<manager.PluginMetadataInput>().toEqualTypeOf<Pick<contract.PluginMetadata, 'dependencies' | 'bootFailure'>>()
    expectTypeOf<Parameters<manager.PluginManager['registerPluginMetadata']>[2]>().toEqualTypeOf<manager.PluginMetadataInput>()
    expectTypeOf<Parameters<umbrella.PluginSystem['registerPlugin']>[3]>().toEqualTypeOf<contract.PluginMetadata | undefined>()
  })

  it('the dependency graph: manager.graph(), system.graph() and the formatters share one type', () => {
    expectTypeOf<ReturnType<manager.PluginManager['graph']>>().toEqualTypeOf<contract.DependencyGraph>()
    expectTypeOf<ReturnType<umbrella.PluginSystem['graph']>>().toEqualTypeOf<contract.DependencyGraph>()
    expectTypeOf<Parameters<typeof umbrella.graphToMermaid>[0]>().toEqualTypeOf<contract.DependencyGraph>()
    expectTypeOf<umbrella.GraphView>().toEqualTypeOf<contract.DependencyGraph>()
    expectTypeOf<umbrella.GraphNodeView>().toEqualTypeOf<contract.GraphNode>()
    expectTypeOf<umbrella.GraphEdgeView>().toEqualTypeOf<contract.GraphEdge>()
    expectTypeOf<manager.PluginState>().toEqualTypeOf<contract.PluginState>()
    expectTypeOf<manager.PluginHealth['state']>().toEqualTypeOf<contract.PluginState>()
  })
})
