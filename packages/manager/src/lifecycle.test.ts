import { DependencyError, PepperpyError, PepperpyPlugin, PluginInitError, PluginTimeoutError, silentLogger } from '@pepperpy/plugin'
import { pluginContext, type PluginResolver, type ResourcePoolPort } from '@pepperpy/plugin/spi'
import { describe, expect, it } from 'vitest'
import { capturingLogger, inits, memoryResolver, recorder, sleep } from './__tests__/memory-resolver.js'
import { PluginManager } from './plugin-manager.js'

const manager = (r: PluginResolver, extra: Partial<ConstructorParameters<typeof PluginManager>[0]> = {}) =>
  new PluginManager({ resolver: r, logger: silentLogger, ...extra })

describe('PluginManager lifecycle', () => {
  it('cleanup does not wait for a timed-out initialize(); the plugin is cleaned up if it finishes later', async () => {
    let release: () => void = () => {}
    const log: string[] = []
    class Stuck extends PepperpyPlugin {
      override initialize(): Promise<void> {
        return new Promise((r) => (release = r))
      }
      override async cleanup(): Promise<void> {
        log.push('cleanup:stuck')
      }
    }
    const logger = capturingLogger()
    const m = manager(memoryResolver({ classes: { 's/x': Stuck, 'ok/x': recorder(log) } }), { initTimeoutMs: 30, logger })
    const stuck = await m.createInstance('s', 'x')
    await m.createInstance('ok', 'x')
    await expect(m.initialize()).rejects.toBeInstanceOf(PluginTimeoutError)
    await m.initialize().catch(() => {}) // ok/x may have been rolled back; a retry is still bounded by the timeout
    const outcome = await Promise.race([m.cleanup().then(() => 'done'), sleep(2_000).then(() => 'hung')])
    expect(outcome).toBe('done')
    expect(logger.warnings.join('\n')).toContain('s/x: initialize() timed out and is still running')
    release()
    await sleep(10)
    expect(stuck.initialized).toBe(false)
    expect(log).toContain('cleanup:stuck')
  })

  it('a timed-out initialize() that finishes later is cleaned up (the call that started it failed)', async () => {
    let release: () => void = () => {}
    const log: string[] = []
    class Late extends PepperpyPlugin {
      override initialize(): Promise<void> {
        return new Promise((r) => (release = r))
      }
      override async cleanup(): Promise<void> {
        log.push('cleanup:late')
      }
    }
    const m = manager(memoryResolver({ classes: { 'l/x': Late } }), { initTimeoutMs: 30 })
    const late = await m.createInstance('l', 'x')
    await expect(m.initialize()).rejects.toBeInstanceOf(PluginTimeoutError)
    release()
    await sleep(10)
    expect(late.initialized).toBe(false)
    expect(log).toEqual(['cleanup:late'])
  })

  it('a timed-out dependency stops its dependent with the chain and keeps the timeout as cause', async () => {
    class Hangs extends PepperpyPlugin {
      override initialize(): Promise<void> {
        return new Promise((_, reject) => this.signal.addEventListener('abort', () => reject(this.signal.reason)))
      }
    }
    const r = memoryResolver({ classes: { 'rag/x': recorder([]), 'emb/x': Hangs }, deps: { 'rag/x': [{ type: 'emb', provider: 'x' }] } })
    const m = manager(r, { initTimeoutMs: 30 })
    const error = await m.loadDependencies('rag', 'x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DependencyError)
    expect((error as Error).message).toMatch(/^rag\/x -> emb\/x: plugin "emb\/x" did not finish initialize\(\) within 30 ms/)
    expect((error as Error).cause).toBeInstanceOf(PluginTimeoutError)
    await m.cleanup()
  })

  it('a failing plugin without dependents is a PluginInitError naming it, with the cause and a failed event', async () => {
    const failed: string[] = []
    const m = manager(memoryResolver({ classes: { 'db/pg': recorder([], { fail: 'connection refused' }) } }))
    m.on('failed', (e) => void failed.push(`${e.pluginId}: ${e.error?.message}`))
    await m.createInstance('db', 'pg')
    const error = await m.initialize().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PluginInitError)
    expect((error as Error).message).toBe('plugin "db/pg": initialize() failed: connection refused')
    expect(((error as Error).cause as Error).message).toBe('connection refused')
    expect(failed).toEqual(['db/pg: connection refused'])
  })

  it('a failed creation emits failed, is not kept, and can be retried', async () => {
    const classes: Record<string, typeof PepperpyPlugin> = {}
    const failed: string[] = []
    const m = manager(memoryResolver({ classes }))
    m.on('failed', (e) => void failed.push(e.pluginId))
    await expect(m.createInstance('late', 'x')).rejects.toThrow(/not found/)
    expect(failed).toEqual(['late/x'])
    expect(m.getInstance('late', 'x')).toBeUndefined()
    classes['late/x'] = class extends PepperpyPlugin {}
    expect((await m.createInstance('late', 'x')).pluginId).toBe('late/x')
  })

  it('a cleanup() that hangs times out: reported with the others, and its dependencies are still cleaned up', async () => {
    const log: string[] = []
    class HangsOnCleanup extends PepperpyPlugin {
      override async cleanup(): Promise<void> {
        log.push('cleanup:stuck')
        await new Promise(() => {})
      }
    }
    const r = memoryResolver({
      classes: { 'rag/x': HangsOnCleanup, 'emb/x': recorder(log) },
      deps: { 'rag/x': [{ type: 'emb', provider: 'x' }] },
    })
    const m = manager(r, { cleanupTimeoutMs: 50 })
    await m.createInstance('rag', 'x')
    await m.initialize()
    const error = await m.cleanup().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AggregateError)
    expect((error as Error).message).toMatch(/rag\/x: plugin "rag\/x" did not finish cleanup\(\) within 50 ms/)
    expect((error as AggregateError).errors[0]).toBeInstanceOf(PluginTimeoutError)
    expect(log.filter((l) => l.startsWith('cleanup:'))).toEqual(['cleanup:stuck', 'cleanup:emb/x'])
    expect(() => manager(r, { cleanupTimeoutMs: 0 })).toThrow(/cleanupTimeoutMs must be a positive number/)
  })

  it('removeInstance cleans up and forgets a plugin, refuses while others depend on it, and a new one can be made', async () => {
    const log: string[] = []
    const cleaned: string[] = []
    const r = memoryResolver({
      classes: { 'rag/x': recorder(log), 'emb/x': recorder(log) },
      deps: { 'rag/x': [{ type: 'emb', provider: 'x' }] },
    })
    const m = manager(r)
    m.on('cleaned', (e) => void cleaned.push(e.pluginId))
    const first = await m.createInstance('rag', 'x')
    await m.initialize()
    const refused = await m.removeInstance('emb', 'x').catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(DependencyError)
    expect((refused as Error).message).toBe('cannot remove emb/x: rag/x depends on it; remove it first')
    expect(m.getInstance('emb', 'x')?.initialized).toBe(true)
    expect(await m.removeInstance('rag', 'x')).toBe(true)
    expect(first.initialized).toBe(false)
    expect(m.getInstance('rag', 'x')).toBeUndefined()
    expect(await m.removeInstance('emb', 'x')).toBe(true)
    expect(cleaned).toEqual(['rag/x', 'emb/x'])
    expect(await m.removeInstance('emb', 'x')).toBe(false)
    const second = await m.createInstance('rag', 'x', { fresh: true })
    expect(second).not.toBe(first)
    await m.initialize()
    expect(second.initialized).toBe(true)
    expect(m.getInstance('emb', 'x')?.initialized).toBe(true) // made again for it
  })

  it('the options given to initialize() keep their signal when spread, and it aborts on timeout', async () => {
    let seen: AbortSignal | undefined
    class Spreads extends PepperpyPlugin {
      override initialize(options?: { signal?: AbortSignal }): Promise<void> {
        const copy = { ...options }
        seen = copy.signal
        return new Promise((_, reject) => copy.signal?.addEventListener('abort', () => reject(copy.signal?.reason)))
      }
    }
    const m = manager(memoryResolver({ classes: { 'x/y': Spreads } }), { initTimeoutMs: 30 })
    await m.createInstance('x', 'y')
    await expect(m.initialize()).rejects.toThrow(/did not finish initialize\(\) within 30 ms/)
    expect(seen?.aborted).toBe(true)
  })

  it('cleans up every plugin even when later metadata made an ordering cycle', async () => {
    const log: string[] = []
    const m = manager(
      memoryResolver({ classes: { 'a/x': recorder(log), 'b/x': recorder(log) }, deps: { 'a/x': [{ type: 'b', provider: 'x' }] } }),
    )
    await m.createInstance('a', 'x')
    await m.initialize()
    m.registerPluginMetadata('b', 'x', { dependencies: [{ type: 'a', provider: 'x' }] })
    await m.cleanup()
    expect(log.filter((l) => l.startsWith('cleanup:')).sort()).toEqual(['cleanup:a/x', 'cleanup:b/x'])
    expect(m.listInstances().every((p) => !p.initialized)).toBe(true)
  })

  it('cleans up dependents first and independent plugins concurrently', async () => {
    const log: string[] = []
    class Slow extends PepperpyPlugin {
      override async cleanup(): Promise<void> {
        log.push(`start:${this.pluginId}`)
        await sleep(40)
        log.push(`end:${this.pluginId}`)
      }
    }
    const r = memoryResolver({
      classes: { 'api/x': Slow, 'db/x': Slow, 'solo/x': Slow },
      deps: { 'api/x': [{ type: 'db', provider: 'x' }] },
    })
    const m = manager(r)
    await m.createInstance('api', 'x')
    await m.createInstance('solo', 'x')
    await m.initialize()
    await m.cleanup()
    expect(log.indexOf('end:api/x')).toBeLessThan(log.indexOf('start:db/x'))
    expect(log.indexOf('start:solo/x')).toBeLessThan(log.indexOf('end:api/x'))
  })

  it('concurrent initialize() calls initialize each plugin once', async () => {
    const log: string[] = []
    const r = memoryResolver({
      classes: { 'a/x': recorder(log, { initMs: 5 }), 'b/x': recorder(log) },
      deps: { 'a/x': [{ type: 'b', provider: 'x' }] },
    })
    const m = manager(r)
    await m.createInstance('a', 'x')
    await Promise.all([m.initialize(), m.initialize(), m.loadDependencies('a', 'x'), m.initialize()])
    expect(inits(log)).toEqual(['init:b/x', 'init:a/x'])
  })

  it('merges shared context services and keeps what decorate returns', async () => {
    const resources = { name: 'pool' } as unknown as ResourcePoolPort
    const seen: string[] = []
    const m = manager(memoryResolver({ classes: { 'a/x': class extends PepperpyPlugin {} } }), {
      context: { resources },
      decorate: (instance, resolved) => {
        seen.push(`${resolved.type}/${resolved.provider}`)
        return new Proxy(instance, {})
      },
    })
    const a = await m.createInstance('a', 'x')
    expect(seen).toEqual(['a/x'])
    expect(m.getInstance('a', 'x')).toBe(a)
    expect(m.listInstances()).toEqual([a])
    expect(pluginContext(a).resources).toBe(resources)
    await m.initialize()
    expect(a.initialized).toBe(true)
  })

  it('isolates a throwing event listener and unsubscribes', async () => {
    const logger = capturingLogger()
    const m = manager(memoryResolver({ classes: { 'a/x': recorder([]) } }), { logger })
    const got: string[] = []
    m.on('created', () => {
      throw new Error('listener bug')
    })
    const off = m.on('initialized', (e) => void got.push(e.pluginId))
    await m.createInstance('a', 'x')
    off()
    await m.initialize()
    expect(got).toEqual([])
    expect(logger.errors).toEqual(["a 'created' listener threw"])
  })

  it('rejects nonsensical options', () => {
    const resolver = memoryResolver({ classes: {} })
    expect(() => new PluginManager({ resolver, initTimeoutMs: 0 })).toThrow(PepperpyError)
    expect(() => new PluginManager({ resolver, concurrency: 0 })).toThrow(/concurrency must be at least 1/)
    expect(() => new PluginManager({ resolver, initTimeoutMs: Number.NaN })).toThrow(/initTimeoutMs/)
  })
})
