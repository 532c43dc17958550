import { ConfigError, PepperpyPlugin, silentLogger } from '@pepperpy/plugin'
import type { PluginResolver } from '@pepperpy/plugin/spi'
import { describe, expect, it } from 'vitest'
import { inits, memoryResolver, recorder } from './__tests__/memory-resolver.js'
import { PluginManager } from './plugin-manager.js'

const manager = (r: PluginResolver) => new PluginManager({ resolver: r, logger: silentLogger })

describe('PluginManager with a resolver that resolves synchronously (resolveNow)', () => {
  it('holds the instance as soon as createInstance returns, and initializes the graph in order', async () => {
    const log: string[] = []
    const r = memoryResolver({
      now: true,
      classes: { 'rag/x': recorder(log), 'emb/x': recorder(log) },
      deps: { 'rag/x': [{ type: 'emb', provider: 'x' }] },
    })
    const m = manager(r)
    const creating = m.createInstance('rag', 'x')
    expect(m.getInstance('rag', 'x')).toBeInstanceOf(PepperpyPlugin) // no await needed
    expect(await creating).toBe(m.getInstance('rag', 'x'))
    await m.initialize()
    expect(inits(log)).toEqual(['init:emb/x', 'init:rag/x'])
  })

  it('a synchronous config error rejects, emits failed once, is not held, and can be retried', async () => {
    const failed: string[] = []
    let bad = true
    const r = memoryResolver({ now: true, classes: { 'llm/x': class extends PepperpyPlugin {} } })
    const resolveNow = r.resolveNow!
    r.resolveNow = (t, p, c) => {
      if (bad) throw new ConfigError('llm/x', [{ key: 'model', message: 'is required' }])
      return resolveNow(t, p, c)
    }
    const m = manager(r)
    m.on('failed', (e) => void failed.push(e.pluginId))
    await expect(m.createInstance('llm', 'x')).rejects.toBeInstanceOf(ConfigError)
    expect(failed).toEqual(['llm/x'])
    expect(m.getInstance('llm', 'x')).toBeUndefined()
    bad = false
    expect((await m.createInstance('llm', 'x')).pluginId).toBe('llm/x')
  })

  it('a constructor that throws rejects once with its error and one failed event', async () => {
    const failed: string[] = []
    const r = memoryResolver({
      now: true,
      classes: {
        'llm/x': class extends PepperpyPlugin {
          constructor() {
            super()
            throw new Error('boom in constructor')
          }
        },
      },
    })
    const m = manager(r)
    m.on('failed', (e) => void failed.push(`${e.pluginId}: ${e.error?.message}`))
    await expect(m.createInstance('llm', 'x')).rejects.toThrow('boom in constructor')
    expect(failed).toEqual(['llm/x: boom in constructor'])
    expect(m.listInstances()).toEqual([])
  })

  it('falls back to resolve() when resolveNow has no answer', async () => {
    const r = memoryResolver({ now: true, classes: { 'llm/x': class extends PepperpyPlugin {} } })
    r.resolveNow = () => undefined
    const m = manager(r)
    const creating = m.createInstance('llm', 'x')
    expect(m.getInstance('llm', 'x')).toBeUndefined() // still resolving
    expect((await creating).pluginId).toBe('llm/x')
    expect(r.resolves).toBe(1)
  })
})

describe('PluginManager asked again while a synchronous creation runs', () => {
  it("a 'created' listener that asks createInstance for the same plugin gets the instance, not undefined", async () => {
    const r = memoryResolver({ now: true, classes: { 'llm/x': class extends PepperpyPlugin {} } })
    const m = manager(r)
    const seen: Array<Promise<PepperpyPlugin>> = []
    m.on('created', (e) => {
      const [type, provider] = e.pluginId.split('/') as [string, string]
      seen.push(m.createInstance(type, provider))
    })
    const instance = await m.createInstance('llm', 'x')
    expect(seen).toHaveLength(1)
    expect(seen[0]).toBeInstanceOf(Promise)
    expect(await seen[0]).toBe(instance)
  })

  it('a decorate that asks createInstance for the plugin being created gets a promise of it', async () => {
    const r = memoryResolver({ now: true, classes: { 'llm/x': class extends PepperpyPlugin {} } })
    const asked: Array<Promise<PepperpyPlugin>> = []
    const m: PluginManager = new PluginManager({
      resolver: r,
      logger: silentLogger,
      decorate: (plugin) => {
        asked.push(m.createInstance('llm', 'x'))
        return plugin
      },
    })
    const instance = await m.createInstance('llm', 'x')
    expect(asked[0]).toBeInstanceOf(Promise)
    expect(await asked[0]).toBe(instance)
  })
})
