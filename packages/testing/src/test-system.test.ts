import { PepperpyPlugin, PluginNotFoundError, silentLogger } from '@pepperpy/plugin'
import { createPluginSystem, FileStateStore, MemoryStateStore } from '@pepperpy/plugins'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestSystem, type TestSystem } from './index.js'

class Echo extends PepperpyPlugin {
  prefix = 'echo'
  apiKey = ''
  override async initialize(): Promise<void> {
    this.logger.info(`ready with ${this.prefix}`)
  }
  async generate(text: string): Promise<string> {
    return `${this.prefix}: ${text}`
  }
}

interface Embeddings {
  embed(text: string): Promise<number[]>
}

class Rag extends PepperpyPlugin {
  static override dependencies = [{ type: 'embeddings' }]
  async search(text: string): Promise<number[]> {
    return this.getDependency<Embeddings>('embeddings')!.embed(text)
  }
}

let system: TestSystem | undefined
afterEach(async () => {
  await system?.dispose()
  system = undefined
})

describe('createTestSystem', () => {
  it('returns a plugin system with a memory state store, an empty environment and no default roots', async () => {
    process.env['PEPPERPY_LLM__ECHO__PREFIX'] = 'from-process-env'
    try {
      system = createTestSystem({ plugins: { 'llm/echo': Echo } })
      expect(system.stateStore).toBeInstanceOf(MemoryStateStore)
      expect(system.stateStore).not.toBeInstanceOf(FileStateStore)
      const echo = await system.start<Echo>('llm', 'echo')
      expect(echo.prefix).toBe('echo') // process.env is not read
      expect(await echo.generate('hi')).toBe('echo: hi')
      expect(echo.initialized).toBe(true)
      expect(system.listPlugins().map((p) => `${p.type}/${p.provider}`)).toEqual(['llm/echo'])
    } finally {
      delete process.env['PEPPERPY_LLM__ECHO__PREFIX']
    }
  })

  it('reads config from the env it is given, and start() passes config', async () => {
    system = createTestSystem({ plugins: { 'llm/echo': Echo }, env: { PEPPERPY_LLM__ECHO__PREFIX: 'env' } })
    const echo = await system.start<Echo>('llm', 'echo')
    expect(echo.prefix).toBe('env')
    const other = createTestSystem({ plugins: { 'llm/echo': Echo } })
    const configured = await other.start<Echo>('llm', 'echo', { prefix: 'call' })
    expect(await configured.generate('x')).toBe('call: x')
    await other.dispose()
    expect(configured.initialized).toBe(false)
  })

  it('captures every log line with its level and plugin', async () => {
    system = createTestSystem({ plugins: { 'llm/echo': Echo } })
    await system.start('llm', 'echo')
    expect(system.logs).toContainEqual({ level: 'info', message: 'ready with echo', name: 'llm/echo' })
  })

  it('satisfies a dependency with a plain-object mock whose methods are the object’s', async () => {
    system = createTestSystem({
      plugins: { 'rag/naive': Rag },
      mocks: { 'embeddings/fake': { embed: async (text: string) => [text.length, 0] } },
    })
    const rag = await system.start<Rag>('rag', 'naive')
    expect(await rag.search('four')).toEqual([4, 0])
    const mock = rag.getDependency<PepperpyPlugin>('embeddings')!
    expect(mock.pluginId).toBe('embeddings/fake')
    expect(mock.initialized).toBe(true)
  })

  it('start() of an unknown id throws the same PluginNotFoundError as the rest of the system', async () => {
    system = createTestSystem({ plugins: { 'llm/echo': Echo } })
    const error = await system.start('llm', 'ecko').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PluginNotFoundError)
    expect((error as PluginNotFoundError).code).toBe('PLUGIN_NOT_FOUND')
    const plain = createPluginSystem({ defaultPaths: false, env: {}, logger: silentLogger })
    plain.registerPlugin('llm', 'echo', Echo)
    const expected = await plain.createProviderInstance('llm', 'ecko').catch((e: unknown) => e)
    await plain.dispose()
    expect((error as Error).message).toBe((expected as Error).message)
    expect((error as Error).message).toMatch(/llm\/ecko/)
    expect((error as Error).message).toContain('Did you mean llm/echo?')
  })

  it('warns in logs about a mock nothing depends on', async () => {
    system = createTestSystem({ plugins: { 'rag/naive': Rag }, mocks: { 'embeddings/fake': { embed: async () => [1] }, 'tts/unused': {} } })
    await system.start('rag', 'naive')
    const warnings = system.logs.filter((l) => l.level === 'warn').map((l) => l.message)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/mock tts\/unused: no plugin of this test system depends on it \(declared dependencies: embeddings\)/)
  })

  it('warns about an unused mock at dispose() when nothing was started', async () => {
    const quiet = createTestSystem({ mocks: { 'embeddings/fake': { embed: async () => [1] } } })
    await quiet.dispose()
    expect(quiet.logs).toEqual([
      {
        level: 'warn',
        message:
          'mock embeddings/fake: no plugin of this test system depends on it (declared dependencies: none); check its id or remove it',
      },
    ])
  })

  it('refuses the same id in plugins and mocks', () => {
    expect(() => createTestSystem({ plugins: { 'llm/echo': Echo }, mocks: { 'llm/echo': {} } })).toThrow(
      /"llm\/echo" is in both plugins and mocks/,
    )
  })

  it('rejects a key that is not type/provider, naming it', () => {
    expect(() => createTestSystem({ plugins: { echo: Echo } })).toThrow(/plugins key "echo" must be "type\/provider"/)
  })
})
