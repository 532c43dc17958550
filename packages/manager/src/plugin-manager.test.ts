// PluginManager: instances, dependencies and order (over 300 lines: one suite for one class).
import {
  CircularDependencyError,
  DependencyError,
  PepperpyPlugin,
  PluginTimeoutError,
  silentLogger,
  type DependencySpec,
  type PluginClass,
} from '@pepperpy/plugin'
import { instantiatePlugin, type PluginResolver } from '@pepperpy/plugin/spi'
import { describe, expect, it } from 'vitest'
import { memoryResolver, recorder, sleep } from './__tests__/memory-resolver.js'
import { PluginManager } from './plugin-manager.js'

const resolver = (
  classes: Record<string, PluginClass>,
  deps: Record<string, DependencySpec[]> = {},
  versions: Record<string, string> = {},
) => memoryResolver({ classes, deps, versions })

const manager = (r: PluginResolver, extra: Partial<ConstructorParameters<typeof PluginManager>[0]> = {}) =>
  new PluginManager({ resolver: r, logger: silentLogger, ...extra })

describe('PluginManager', () => {
  it("runs PepperPy's integration scenario: api requires db, optionally cache", async () => {
    const log: string[] = []
    const r = resolver({ 'db/pg': recorder(log, { initMs: 10 }), 'cache/mem': recorder(log), 'api/rest': recorder(log) })
    const m = manager(r)
    m.registerPluginMetadata('api', 'rest', {
      dependencies: [
        { type: 'db', provider: 'pg' },
        { type: 'cache', provider: 'mem', dependencyType: 'optional' },
      ],
    })
    const api = await m.createInstance('api', 'rest')
    const deps = await m.loadDependencies('api', 'rest')
    expect(deps.map((d) => d.pluginId).sort()).toEqual(['cache/mem', 'db/pg'])
    expect(api.initialized).toBe(false)
    await m.initialize()
    const inits = log.filter((l) => l.startsWith('init:') && !l.endsWith(':start'))
    expect(inits.indexOf('init:api/rest')).toBe(2)
    expect(api.getDependency('db')).toBe(m.getInstance('db', 'pg'))
    expect(m.getInitializationOrder().at(-1)).toBe('api/rest')
    expect(m.getShutdownOrder()[0]).toBe('api/rest')
    await m.cleanup()
    expect(log.filter((l) => l.startsWith('cleanup:'))[0]).toBe('cleanup:api/rest')
  })

  it('loadDependencies is recursive and does not initialize the plugin itself', async () => {
    const log: string[] = []
    const r = resolver(
      { 'a/x': recorder(log), 'b/x': recorder(log), 'c/x': recorder(log) },
      { 'a/x': [{ type: 'b', provider: 'x' }], 'b/x': [{ type: 'c', provider: 'x' }] },
    )
    const m = manager(r)
    const direct = await m.loadDependencies('a', 'x')
    expect(direct.map((d) => d.pluginId)).toEqual(['b/x'])
    expect(log.filter((l) => !l.endsWith(':start'))).toEqual(['init:c/x', 'init:b/x'])
    expect(m.getInstance('a', 'x')?.initialized).toBe(false)
  })

  it('loadDependenciesOf wires a plugin the manager does not hold, without creating another instance of it', async () => {
    const log: string[] = []
    let constructed = 0
    class Root extends PepperpyPlugin {
      constructor(c?: Record<string, unknown>) {
        super(c)
        constructed++
      }
    }
    const r = resolver(
      { 'rag/x': Root, 'emb/x': recorder(log) },
      {
        'rag/x': [
          { type: 'emb', provider: 'x' },
          { type: 'gone', provider: 'x', dependencyType: 'optional' },
        ],
      },
    )
    const m = manager(r)
    const outside = instantiatePlugin(Root, { type: 'rag', provider: 'x' })
    const deps = await m.loadDependenciesOf(outside, [{ type: 'emb', provider: 'x' }])
    expect(deps.map((d) => d.pluginId)).toEqual(['emb/x'])
    expect(deps[0]?.initialized).toBe(true)
    expect(constructed).toBe(1)
    expect(m.getInstance('rag', 'x')).toBeUndefined()
    await expect(m.loadDependenciesOf(outside, [{ type: 'nope', provider: 'x' }])).rejects.toThrow(/^rag\/x -> nope\/x: /)
  })

  it('a missing required dependency is a DependencyError with the chain; a missing optional one is skipped', async () => {
    const log: string[] = []
    const r = resolver(
      { 'rag/chroma': recorder(log), 'embeddings/openai': recorder(log) },
      {
        'rag/chroma': [
          { type: 'embeddings', provider: 'openai' },
          { type: 'storage', provider: 'local', dependencyType: 'optional' },
        ],
        'embeddings/openai': [{ type: 'http', provider: 'client' }],
      },
    )
    const m = manager(r)
    const error = await m.loadDependencies('rag', 'chroma').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DependencyError)
    expect((error as DependencyError).message).toMatch(/^rag\/chroma -> embeddings\/openai -> http\/client: /)
    expect((error as DependencyError).chain).toEqual(['rag/chroma', 'embeddings/openai', 'http/client'])
  })

  it('shows the chain when a middle dependency fails to initialize, and rolls back in reverse order', async () => {
    const log: string[] = []
    const r = resolver(
      {
        'rag/chroma': recorder(log),
        'embeddings/openai': recorder(log, { fail: 'connection refused' }),
        'http/client': recorder(log),
        'cache/mem': recorder(log, { initMs: 5 }),
      },
      {
        'rag/chroma': [
          { type: 'embeddings', provider: 'openai' },
          { type: 'cache', provider: 'mem' },
        ],
        'embeddings/openai': [{ type: 'http', provider: 'client' }],
      },
    )
    const m = manager(r)
    const error = await m.loadDependencies('rag', 'chroma').catch((e: unknown) => e)
    expect((error as Error).message).toBe('rag/chroma -> embeddings/openai: connection refused')
    expect((error as Error).cause).toBeInstanceOf(Error)
    expect(m.getInstance('http', 'client')?.initialized).toBe(false)
    expect(m.getInstance('cache', 'mem')?.initialized).toBe(false)
    const done = log.filter((l) => l.startsWith('init:') && !l.endsWith(':start'))
    expect(done.length).toBeGreaterThan(0)
    const cleaned = log.filter((l) => l.startsWith('cleanup:'))
    expect(cleaned).toEqual(done.map((l) => l.replace('init:', 'cleanup:')).reverse())
  })

  it('detects cycles in one pass, with the path in order', async () => {
    const log: string[] = []
    const r = resolver(
      { 'a/x': recorder(log), 'b/x': recorder(log), 'c/x': recorder(log) },
      {
        'a/x': [{ type: 'b', provider: 'x' }],
        'b/x': [{ type: 'c', provider: 'x' }],
        'c/x': [{ type: 'a', provider: 'x' }],
      },
    )
    const m = manager(r)
    await m.createInstance('a', 'x')
    const error = await m.initialize().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CircularDependencyError)
    expect((error as CircularDependencyError).cycle).toEqual(['a/x', 'b/x', 'c/x', 'a/x'])
    expect((error as Error).message).toContain('a/x -> b/x -> c/x -> a/x')
    expect(log).toEqual([])
  })

  it('allows a cycle through a runtime edge', async () => {
    const log: string[] = []
    const r = resolver(
      { 'a/x': recorder(log), 'b/x': recorder(log) },
      {
        'a/x': [{ type: 'b', provider: 'x' }],
        'b/x': [{ type: 'a', provider: 'x', dependencyType: 'runtime' }],
      },
    )
    const m = manager(r)
    await m.createInstance('a', 'x')
    await m.initialize()
    expect(log.filter((l) => !l.endsWith(':start'))).toEqual(['init:b/x', 'init:a/x'])
    expect(m.getInstance('b', 'x')?.getDependency('a')).toBe(m.getInstance('a', 'x'))
  })

  it('a missing runtime dependency is an error', async () => {
    const r = resolver({ 'a/x': recorder([]) }, { 'a/x': [{ type: 'b', provider: 'x', dependencyType: 'runtime' }] })
    await expect(manager(r).loadDependencies('a', 'x')).rejects.toBeInstanceOf(DependencyError)
  })

  it('enhances: after its target when loaded, skipped without error when absent', async () => {
    const log: string[] = []
    const r = resolver(
      { 'metrics/prom': recorder(log), 'llm/x': recorder(log, { initMs: 10 }) },
      { 'metrics/prom': [{ type: 'llm', provider: 'x', dependencyType: 'enhances' }] },
    )
    const alone = manager(r)
    await alone.createInstance('metrics', 'prom')
    await alone.initialize()
    expect(alone.getInstance('metrics', 'prom')?.initialized).toBe(false)
    expect(log).toEqual([])
    const m = manager(r)
    await m.createInstance('metrics', 'prom')
    await m.createInstance('llm', 'x')
    await m.initialize()
    expect(log.filter((l) => !l.endsWith(':start'))).toEqual(['init:llm/x', 'init:metrics/prom'])
  })

  it('initializes independent plugins concurrently (20 x 150 ms finish far below 3 s)', async () => {
    const log: string[] = []
    const classes: Record<string, PluginClass> = {}
    for (let i = 0; i < 20; i++) classes[`p/${i}`] = recorder(log, { initMs: 150 })
    const m = manager(resolver(classes))
    for (let i = 0; i < 20; i++) await m.createInstance('p', String(i))
    const t0 = performance.now()
    await m.initialize()
    expect(performance.now() - t0).toBeLessThan(20 * 150 * 0.5)
    expect(m.listInstances().every((p) => p.initialized)).toBe(true)
  })

  it('starts a plugin as soon as its own dependencies are ready, not level by level', async () => {
    const log: string[] = []
    const r = resolver(
      { 'slow/x': recorder(log, { initMs: 80 }), 'fast/x': recorder(log), 'b/x': recorder(log), 'top/x': recorder(log) },
      {
        'b/x': [{ type: 'fast', provider: 'x' }],
        'top/x': [
          { type: 'slow', provider: 'x' },
          { type: 'b', provider: 'x' },
        ],
      },
    )
    const m = manager(r)
    await m.createInstance('top', 'x')
    await m.initialize()
    expect(log.indexOf('init:b/x:start')).toBeLessThan(log.indexOf('init:slow/x'))
  })

  it('bounds concurrency', async () => {
    let running = 0
    let peak = 0
    class P extends PepperpyPlugin {
      override async initialize() {
        peak = Math.max(peak, ++running)
        await sleep(5)
        running--
      }
    }
    const classes: Record<string, PluginClass> = {}
    for (let i = 0; i < 10; i++) classes[`p/${i}`] = P
    const m = manager(resolver(classes), { concurrency: 3 })
    for (let i = 0; i < 10; i++) await m.createInstance('p', String(i))
    await m.initialize()
    expect(peak).toBe(3)
  })

  it('times out a hanging initialize and aborts its signal', async () => {
    let signal: AbortSignal | undefined
    class Hangs extends PepperpyPlugin {
      override initialize(): Promise<void> {
        signal = this.signal
        return new Promise(() => {})
      }
    }
    const m = manager(resolver({ 'h/x': Hangs }), { initTimeoutMs: 50 })
    await m.createInstance('h', 'x')
    const error = await m.initialize().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PluginTimeoutError)
    expect((error as Error).message).toContain('"h/x" did not finish initialize() within 50 ms')
    expect(signal?.aborted).toBe(true)
  })

  it('cleanup attempts every plugin, reports all failures together, and is idempotent', async () => {
    const log: string[] = []
    const r = resolver({
      'a/x': recorder(log, { cleanupFail: 'a broke' }),
      'b/x': recorder(log),
      'c/x': recorder(log, { cleanupFail: 'c broke' }),
    })
    const m = manager(r)
    for (const p of ['a', 'b', 'c']) await m.createInstance(p, 'x')
    await m.initialize()
    const error = await m.cleanup().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AggregateError)
    expect((error as AggregateError).errors).toHaveLength(2)
    expect((error as Error).message).toContain('a/x: a broke')
    expect((error as Error).message).toContain('c/x: c broke')
    expect(log.filter((l) => l.startsWith('cleanup:')).sort()).toEqual(['cleanup:a/x', 'cleanup:b/x', 'cleanup:c/x'])
    expect(m.listInstances().every((p) => !p.initialized)).toBe(true)
    const before = log.length
    await m.cleanup()
    expect(log.length).toBe(before)
  })

  it('creation is idempotent and single-flight; a different config is an error', async () => {
    let constructed = 0
    class P extends PepperpyPlugin {
      constructor(c?: Record<string, unknown>) {
        super(c)
        constructed++
      }
    }
    const r = resolver({ 'p/x': P })
    const m = manager(r)
    const all = await Promise.all(Array.from({ length: 50 }, () => m.createInstance('p', 'x', { a: 1 })))
    expect(new Set(all).size).toBe(1)
    expect(constructed).toBe(1)
    expect(r.resolves).toBe(1)
    await expect(m.createInstance('p', 'x', { a: 2 })).rejects.toThrow(/differs from the live instance/)
  })

  it('1,000 concurrent createInstance + initialize on 10 keys: one instance and one initialize per key', async () => {
    const inits = new Map<string, number>()
    class P extends PepperpyPlugin {
      override async initialize() {
        inits.set(this.pluginId, (inits.get(this.pluginId) ?? 0) + 1)
        await sleep(1)
      }
    }
    const classes: Record<string, PluginClass> = {}
    for (let i = 0; i < 10; i++) classes[`k/${i}`] = P
    const m = manager(resolver(classes))
    await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        const p = await m.createInstance('k', String(i % 10))
        await p.initialize()
      }),
    )
    expect(m.listInstances()).toHaveLength(10)
    expect([...inits.values()]).toEqual(Array(10).fill(1))
  })

  it('checks version ranges through the resolver', async () => {
    const r = resolver(
      { 'a/x': recorder([]), 'b/x': recorder([]) },
      { 'a/x': [{ type: 'b', provider: 'x', version: '^2.0.0' }] },
      { 'b/x': '1.4.0' },
    )
    await expect(manager(r).loadDependencies('a', 'x')).rejects.toThrow(/b\/x is version 1.4.0, but a\/x requires \^2.0.0/)
  })

  it('emits lifecycle events and builds a typed graph', async () => {
    const events: string[] = []
    const r = resolver({ 'a/x': recorder([]), 'b/x': recorder([]) }, { 'a/x': [{ type: 'b', provider: 'x', dependencyType: 'optional' }] })
    const m = manager(r)
    for (const e of ['created', 'initialized', 'cleaned'] as const) m.on(e, (ev) => void events.push(`${e}:${ev.pluginId}`))
    await m.createInstance('a', 'x')
    await m.initialize()
    await m.cleanup()
    expect(events).toEqual(['created:a/x', 'created:b/x', 'initialized:b/x', 'initialized:a/x', 'cleaned:a/x', 'cleaned:b/x'])
    expect(m.graph().edges).toEqual([{ from: 'a/x', to: 'b/x', dependencyType: 'optional' }])
  })

  it('scales linearly: 10,000 plugins with 30,000 edges resolve and initialize', async () => {
    const n = 10_000
    class P extends PepperpyPlugin {}
    const classes: Record<string, PluginClass> = {}
    const deps: Record<string, DependencySpec[]> = {}
    for (let i = 0; i < n; i++) {
      classes[`n/${i}`] = P
      deps[`n/${i}`] = [1, 2, 3].filter((d) => i - d * 7 >= 0).map((d) => ({ type: 'n', provider: String(i - d * 7) }))
    }
    const m = manager(resolver(classes, deps))
    for (let i = 0; i < n; i++) await m.createInstance('n', String(i))
    await m.initialize()
    const order = m.getInitializationOrder()
    expect(order).toHaveLength(n)
    const pos = new Map(order.map((id, i) => [id, i]))
    for (let i = 0; i < n; i += 97) for (const d of deps[`n/${i}`]!) expect(pos.get(`n/${d.provider}`)!).toBeLessThan(pos.get(`n/${i}`)!)
    expect(m.graph().edges.length).toBeGreaterThan(29_900)
  })
})
