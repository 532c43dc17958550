import { DependencyError, isPlugin, PepperpyPlugin } from '@pepperpy/plugin'
import { describe, expect, it } from 'vitest'
import { createTestSystem, isMockPlugin, mockPlugin } from './index.js'

interface Embeddings {
  embed(text: string): Promise<number[]>
  embedMany(texts: string[]): Promise<number[][]>
}

class Rag extends PepperpyPlugin {
  static override dependencies = [{ type: 'embeddings', provider: 'fake' }]
  get embeddings(): Embeddings {
    return this.getDependency<Embeddings>('embeddings', 'fake')!
  }
  async search(text: string): Promise<number[]> {
    return this.embeddings.embed(text)
  }
  async index(texts: string[]): Promise<number> {
    return (await this.embeddings.embedMany(texts)).length
  }
}

describe('mockPlugin', () => {
  it('builds a plugin whose methods record their calls', async () => {
    const mock = mockPlugin({ embed: async (text: string) => [text.length] })
    expect(isPlugin(mock)).toBe(true)
    expect(isMockPlugin(mock)).toBe(true)
    expect(mock).toBeInstanceOf(PepperpyPlugin)
    expect(await mock.embed('abc')).toEqual([3])
    expect(await mock.embed('')).toEqual([0])
    expect(mock.calls).toEqual([
      { method: 'embed', args: ['abc'] },
      { method: 'embed', args: [''] },
    ])
    expect(mock.embed).toBe(mock.embed)
    await mock.initialize()
    expect(mock.initialized).toBe(true)
    await mock.cleanup()
  })

  it('calls methods with the plugin as this, and keeps plain values and state', async () => {
    const mock = mockPlugin({
      count: 0,
      dimensions: 3,
      bump(this: { count: number }) {
        this.count++
        return this.count
      },
    })
    expect(mock.dimensions).toBe(3)
    mock.bump()
    expect(mock.bump()).toBe(2)
    expect(mock.count).toBe(2)
    expect('bump' in mock && !('other' in mock)).toBe(true)
  })

  it('is the very instance a dependent gets when given in mocks, recording the dependent’s calls', async () => {
    const fake = mockPlugin({ embed: async (text: string) => [text.length, 1] })
    const system = createTestSystem({ plugins: { 'rag/naive': Rag }, mocks: { 'embeddings/fake': fake } })
    const rag = await system.start<Rag>('rag', 'naive')
    expect(await rag.search('hello')).toEqual([5, 1])
    expect(rag.getDependency('embeddings', 'fake')).toBe(fake)
    expect(fake.pluginId).toBe('embeddings/fake')
    expect(fake.calls).toEqual([{ method: 'embed', args: ['hello'] }])
    await system.dispose()
    expect(fake.initialized).toBe(false)
  })

  it('a method the mock lacks throws a DependencyError naming the method, the mock and the caller', async () => {
    const system = createTestSystem({ plugins: { 'rag/naive': Rag }, mocks: { 'embeddings/fake': { embed: async () => [1] } } })
    const rag = await system.start<Rag>('rag', 'naive')
    const error = await rag.index(['a']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DependencyError)
    expect((error as DependencyError).pluginId).toBe('embeddings/fake')
    expect((error as Error).message).toBe(
      'mock embeddings/fake has no method "embedMany" (called by rag/naive in index()); it has: embed. Add "embedMany" to the mock of embeddings/fake.',
    )
    await system.dispose()
  })

  it('probes by test runners and await do not throw', async () => {
    const mock = mockPlugin({ run: () => 1 })
    expect((mock as unknown as { then?: unknown }).then).toBeUndefined()
    expect(await Promise.resolve(mock)).toBe(mock)
    expect(JSON.parse(JSON.stringify(mock))).toMatchObject({ pluginId: 'mock/mock' })
  })

  it('a mock for a bare type satisfies a dependency that names no provider', async () => {
    class NeedsAnyLlm extends PepperpyPlugin {
      static override dependencies = [{ type: 'llm' }]
      async ask(q: string): Promise<string> {
        return this.getDependency<{ generate(q: string): Promise<string> }>('llm')!.generate(q)
      }
    }
    const system = createTestSystem({
      plugins: { 'agent/basic': NeedsAnyLlm },
      mocks: { 'llm/canned': { generate: async () => 'canned' } },
    })
    const agent = await system.start<NeedsAnyLlm>('agent', 'basic')
    expect(await agent.ask('?')).toBe('canned')
    expect(system.logs.filter((l) => l.level === 'warn')).toEqual([])
    await system.dispose()
  })

  it('a user plugin instance given in mocks is used as it is', async () => {
    class FakeEmbeddings extends PepperpyPlugin {
      async embed(): Promise<number[]> {
        return [42]
      }
    }
    const given = FakeEmbeddings.create()
    const system = createTestSystem({ plugins: { 'rag/naive': Rag }, mocks: { 'embeddings/fake': given } })
    const rag = await system.start<Rag>('rag', 'naive')
    expect(await rag.search('x')).toEqual([42])
    expect(rag.getDependency('embeddings', 'fake')).toBe(given)
    await system.dispose()
  })
})

it('createProviderInstance of a plugin that needs a bare type also gets its mock', async () => {
  class NeedsAnyLlm extends PepperpyPlugin {
    static override dependencies = [{ type: 'llm' }]
  }
  const llm = mockPlugin({ generate: async () => 'canned' })
  const system = createTestSystem({ plugins: { 'agent/basic': NeedsAnyLlm }, mocks: { 'llm/canned': llm } })
  const agent = await system.createProviderInstance('agent', 'basic')
  await agent.initialize()
  expect(agent.getDependency('llm')).toBe(llm)
  await system.dispose()
})
