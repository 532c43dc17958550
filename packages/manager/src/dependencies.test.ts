import { CircularDependencyError, DependencyError, PepperpyPlugin, silentLogger } from '@pepperpy/plugin'
import type { PluginResolver } from '@pepperpy/plugin/spi'
import { describe, expect, it } from 'vitest'
import { capturingLogger, inits, memoryResolver, recorder } from './__tests__/memory-resolver.js'
import { PluginManager } from './plugin-manager.js'

const manager = (r: PluginResolver, extra: Partial<ConstructorParameters<typeof PluginManager>[0]> = {}) =>
  new PluginManager({ resolver: r, logger: silentLogger, ...extra })

describe('PluginManager dependencies', () => {
  it('skips a missing optional dependency with a warning and initializes the rest', async () => {
    const log: string[] = []
    const logger = capturingLogger()
    const r = memoryResolver({
      classes: { 'rag/chroma': recorder(log), 'embeddings/openai': recorder(log) },
      deps: {
        'rag/chroma': [
          { type: 'embeddings', provider: 'openai' },
          { type: 'storage', provider: 'local', dependencyType: 'optional' },
        ],
      },
    })
    const m = manager(r, { logger })
    const direct = await m.loadDependencies('rag', 'chroma')
    expect(direct.map((d) => d.pluginId)).toEqual(['embeddings/openai'])
    expect(logger.warnings.join('\n')).toContain('optional dependency storage/local of rag/chroma is not available')
    await m.initialize()
    expect(inits(log)).toEqual(['init:embeddings/openai', 'init:rag/chroma'])
    expect(logger.warnings).toHaveLength(1) // warned once, not on every pass
  })

  it('detects a cycle through the plugin itself in loadDependencies, before initializing anything', async () => {
    const log: string[] = []
    const r = memoryResolver({
      classes: { 'a/x': recorder(log), 'b/x': recorder(log) },
      deps: { 'a/x': [{ type: 'b', provider: 'x' }], 'b/x': [{ type: 'a', provider: 'x' }] },
      manifests: { 'a/x': '/plugins/a/x/plugin.yaml', 'b/x': '/plugins/b/x/plugin.yaml' },
    })
    const error = await manager(r)
      .loadDependencies('a', 'x')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CircularDependencyError)
    expect((error as CircularDependencyError).cycle).toEqual(['a/x', 'b/x', 'a/x'])
    expect((error as Error).message).toContain('a/x in /plugins/a/x/plugin.yaml, b/x in /plugins/b/x/plugin.yaml')
    expect(log).toEqual([])
  })

  it('initializes an enhancer once its target is created later', async () => {
    const log: string[] = []
    const r = memoryResolver({
      classes: { 'metrics/prom': recorder(log), 'llm/x': recorder(log) },
      deps: { 'metrics/prom': [{ type: 'llm', provider: 'x', dependencyType: 'enhances' }] },
    })
    const m = manager(r)
    await m.createInstance('metrics', 'prom')
    await m.initialize()
    expect(inits(log)).toEqual([])
    await m.createInstance('llm', 'x')
    await m.initialize()
    expect(inits(log)).toEqual(['init:llm/x', 'init:metrics/prom'])
  })

  it('knows the order of held plugins before anything is linked', async () => {
    const r = memoryResolver({ classes: { 'a/x': recorder([]), 'b/x': recorder([]) }, deps: { 'a/x': [{ type: 'b', provider: 'x' }] } })
    const m = manager(r)
    await m.createInstance('a', 'x')
    await m.createInstance('b', 'x')
    expect(m.getInitializationOrder()).toEqual(['b/x', 'a/x'])
    expect(m.getShutdownOrder()).toEqual(['a/x', 'b/x'])
  })

  it('plugin.initialize() called directly brings its dependencies up first, or fails with the chain', async () => {
    const log: string[] = []
    const r = memoryResolver({
      classes: { 'rag/x': recorder(log), 'emb/x': recorder(log), 'http/x': recorder(log), 'bad/x': recorder(log) },
      deps: {
        'rag/x': [{ type: 'emb', provider: 'x' }],
        'emb/x': [{ type: 'http', provider: 'x' }],
        'bad/x': [{ type: 'gone', provider: 'x' }],
      },
    })
    const m = manager(r)
    const rag = await m.createInstance('rag', 'x')
    await rag.initialize()
    expect(inits(log)).toEqual(['init:http/x', 'init:emb/x', 'init:rag/x'])
    expect(rag.getDependency('emb')).toBe(m.getInstance('emb', 'x'))
    const bad = await m.createInstance('bad', 'x')
    const error = await bad.initialize().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DependencyError)
    expect((error as DependencyError).chain).toEqual(['bad/x', 'gone/x'])
    expect(bad.initialized).toBe(false)
  })

  it('keys instances by the requested provider; an alias names the real provider in pluginId', async () => {
    const r = memoryResolver({
      classes: { 'llm/openai': class extends PepperpyPlugin {}, 'app/x': class extends PepperpyPlugin {} },
      deps: { 'app/x': [{ type: 'llm', provider: 'gpt' }] },
      aliases: { 'llm/gpt': 'openai' },
    })
    const m = manager(r)
    const app = await m.createInstance('app', 'x')
    await m.loadDependencies('app', 'x')
    const llm = m.getInstance('llm', 'gpt')
    expect(llm?.pluginId).toBe('llm/openai')
    expect(m.getInstance('llm', 'openai')).toBeUndefined()
    expect(app.getDependency('llm')).toBe(llm)
    expect(app.getDependency('llm', 'openai')).toBe(llm)
    expect(app.getDependency('llm', 'gpt')).toBe(llm)
  })

  it('a dependency without a provider uses the held instance of that type', async () => {
    const r = memoryResolver({
      classes: { 'llm/local': class extends PepperpyPlugin {}, 'agent/x': class extends PepperpyPlugin {} },
      deps: { 'agent/x': [{ type: 'llm' }] },
    })
    const m = manager(r)
    const llm = await m.createInstance('llm', 'local')
    const agent = await m.createInstance('agent', 'x')
    await m.initialize()
    expect(agent.getDependency('llm')).toBe(llm)
    expect(m.graph().edges).toEqual([{ from: 'agent/x', to: 'llm/local', dependencyType: 'required' }])
  })

  it('skips an optional dependency that fails to load, and reports a required one with the chain', async () => {
    const logger = capturingLogger()
    const r = memoryResolver({
      classes: { 'a/x': recorder([]), 'b/x': recorder([]) },
      deps: { 'a/x': [{ type: 'b', provider: 'x', version: '^2.0.0', dependencyType: 'optional' }] },
      versions: { 'b/x': '1.0.0' },
    })
    const m = manager(r, { logger })
    expect(await m.loadDependencies('a', 'x')).toEqual([])
    expect(logger.warnings.join('\n')).toMatch(
      /optional dependency b\/x of a\/x failed to load \(b\/x is version 1.0.0, but a\/x requires \^2.0.0/,
    )
  })

  it('warns when a version range cannot be checked', async () => {
    const logger = capturingLogger()
    const r = memoryResolver({
      classes: { 'a/x': recorder([]), 'b/x': recorder([]) },
      deps: { 'a/x': [{ type: 'b', provider: 'x', version: '^2.0.0' }] },
      versions: { 'b/x': '1.0.0' },
      semver: false,
    })
    expect(await manager(r, { logger }).loadDependencies('a', 'x')).toHaveLength(1)
    expect(logger.warnings.join('\n')).toContain('a/x wants b/x ^2.0.0; the resolver cannot check semver ranges')
  })

  it('recomputes edges after registerPluginMetadata', async () => {
    const log: string[] = []
    const r = memoryResolver({ classes: { 'a/x': recorder(log), 'b/x': recorder(log) } })
    const m = manager(r)
    await m.createInstance('a', 'x')
    await m.initialize()
    await m.cleanup()
    log.length = 0
    m.registerPluginMetadata('a', 'x', { dependencies: [{ type: 'b', provider: 'x' }] })
    await m.initialize()
    expect(inits(log)).toEqual(['init:b/x', 'init:a/x'])
  })

  it('plugin.initialize() in a runtime cycle starts the plugin first, without deadlock', async () => {
    const log: string[] = []
    const r = memoryResolver({
      classes: { 'a/x': recorder(log), 'b/x': recorder(log) },
      deps: { 'a/x': [{ type: 'b', provider: 'x' }], 'b/x': [{ type: 'a', provider: 'x', dependencyType: 'runtime' }] },
    })
    const m = manager(r)
    const b = await m.createInstance('b', 'x')
    await b.initialize()
    expect(inits(log)).toEqual(['init:b/x'])
    expect(b.getDependency('a')).toBe(m.getInstance('a', 'x'))
    expect((await m.loadDependencies('b', 'x')).map((d) => d.initialized)).toEqual([false])
    await m.initialize()
    expect(inits(log)).toEqual(['init:b/x', 'init:a/x'])
  })
})
