import { PepperpyPlugin } from '@pepperpy/plugin'
import type { PluginResolver } from '@pepperpy/plugin/spi'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { capturingLogger, inits, memoryResolver, recorder } from './__tests__/memory-resolver.js'
import { formatBootReport } from './boot-report.js'
import type { PluginHealth } from './health.js'
import { PluginManager } from './plugin-manager.js'

afterEach(() => {
  vi.useRealTimers()
})

/**
 * db/pg fails; reports/daily requires it; export/csv requires reports/daily; cache/redis has it as
 * optional; audit/log enhances it; llm/echo is independent.
 */
function graph(log: string[], seen: Record<string, unknown> = {}): PluginResolver {
  class Cache extends PepperpyPlugin {
    override async initialize(): Promise<void> {
      seen['cache sees db'] = this.getDependency('db') ?? null
      log.push(`init:${this.pluginId}`)
    }
    override async cleanup(): Promise<void> {
      log.push(`cleanup:${this.pluginId}`)
    }
  }
  return memoryResolver({
    classes: {
      'db/pg': recorder(log, { fail: 'connect ECONNREFUSED 127.0.0.1:5432' }),
      'reports/daily': recorder(log),
      'export/csv': recorder(log),
      'cache/redis': Cache,
      'audit/log': recorder(log),
      'llm/echo': recorder(log),
    },
    deps: {
      'reports/daily': [{ type: 'db', provider: 'pg' }],
      'export/csv': [{ type: 'reports', provider: 'daily' }],
      'cache/redis': [{ type: 'db', provider: 'pg', dependencyType: 'optional' }],
      'audit/log': [{ type: 'db', provider: 'pg', dependencyType: 'enhances' }],
    },
  })
}

const ids = ['db/pg', 'reports/daily', 'export/csv', 'cache/redis', 'audit/log', 'llm/echo']

async function hold(m: PluginManager): Promise<void> {
  for (const id of ids) {
    const [type, provider] = id.split('/') as [string, string]
    await m.createInstance(type, provider)
  }
}

const byId = (plugins: PluginHealth[]): Record<string, PluginHealth> => Object.fromEntries(plugins.map((p) => [p.id, p]))
const ms = expect.any(Number)

describe("bootFailure: 'continue'", () => {
  it('marks the failing plugin failed, skips what requires it, initializes optional and enhancing dependents, and resolves', async () => {
    const log: string[] = []
    const seen: Record<string, unknown> = {}
    const logger = capturingLogger()
    const m = new PluginManager({ resolver: graph(log, seen), logger, bootFailure: 'continue' })
    await hold(m)
    await expect(m.initialize()).resolves.toBeUndefined()

    const health = m.health()
    expect(health.status).toBe('degraded')
    expect(byId(health.plugins)).toEqual({
      'db/pg': { id: 'db/pg', state: 'failed', error: 'connect ECONNREFUSED 127.0.0.1:5432', initMs: ms },
      'reports/daily': { id: 'reports/daily', state: 'skipped', error: 'requires db/pg, which failed to initialize' },
      'export/csv': { id: 'export/csv', state: 'skipped', error: 'requires reports/daily, which was skipped' },
      'cache/redis': { id: 'cache/redis', state: 'initialized', initMs: ms },
      'audit/log': { id: 'audit/log', state: 'initialized', initMs: ms },
      'llm/echo': { id: 'llm/echo', state: 'initialized', initMs: ms },
    })
    const order = health.plugins.map((p) => p.id)
    expect(order.indexOf('db/pg')).toBeLessThan(order.indexOf('reports/daily'))
    expect(order.indexOf('reports/daily')).toBeLessThan(order.indexOf('export/csv'))
    expect(inits(log).sort()).toEqual(['init:audit/log', 'init:cache/redis', 'init:llm/echo'])
    expect(seen['cache sees db']).toBeNull() // the optional dependency is simply absent
    // reported once, with its error; each skip once, with its reason
    expect(logger.errors).toEqual([
      'plugin "db/pg" failed to initialize (connect ECONNREFUSED 127.0.0.1:5432); the boot goes on without it (bootFailure: continue)',
    ])
    expect(logger.warnings).toEqual([
      'plugin "reports/daily" is not initialized: it requires db/pg, which failed to initialize',
      'plugin "export/csv" is not initialized: it requires reports/daily, which was skipped',
    ])

    const report = formatBootReport(m.bootReport())
    expect(report).toMatch(/^boot \S+ m?s \(6 plugins, 1 failed, 2 skipped\)/)
    expect(report).toContain('db/pg FAILED after')
    expect(report).toContain('export/csv skipped: requires reports/daily, which was skipped')

    // cleanup treats the failed and skipped plugins as never initialized
    log.length = 0
    await m.cleanup()
    expect(log.sort()).toEqual(['cleanup:audit/log', 'cleanup:cache/redis', 'cleanup:llm/echo'])
    expect(byId(m.health().plugins)).toMatchObject({
      'db/pg': { state: 'failed' },
      'reports/daily': { state: 'skipped' },
      'export/csv': { state: 'skipped' },
      'cache/redis': { state: 'cleaned' },
      'llm/echo': { state: 'cleaned' },
    })
  })

  it("by default ('abort') the same failure rolls the boot back and rejects", async () => {
    const log: string[] = []
    const m = new PluginManager({ resolver: graph(log), logger: capturingLogger() })
    await hold(m)
    await expect(m.initialize()).rejects.toThrow('connect ECONNREFUSED')
    const health = byId(m.health().plugins)
    expect(m.health().status).toBe('degraded')
    expect(health['db/pg']).toMatchObject({ state: 'failed', error: 'connect ECONNREFUSED 127.0.0.1:5432' })
    for (const id of ids.slice(1)) expect(['pending', 'cleaned', 'initializing']).toContain(health[id]!.state)
    expect(m.listInstances().filter((p) => p.initialized)).toEqual([])
  })

  it("a plugin's own policy wins over the manager's, both ways", async () => {
    const log: string[] = []
    const lenient = new PluginManager({ resolver: graph(log), logger: capturingLogger() })
    lenient.registerPluginMetadata('db', 'pg', { bootFailure: 'continue' })
    await hold(lenient)
    await expect(lenient.initialize()).resolves.toBeUndefined()
    expect(byId(lenient.health().plugins)['reports/daily']!.state).toBe('skipped')

    const strict = new PluginManager({ resolver: graph(log), logger: capturingLogger(), bootFailure: 'continue' })
    strict.registerPluginMetadata('db', 'pg', { bootFailure: 'abort' })
    await hold(strict)
    await expect(strict.initialize()).rejects.toThrow('connect ECONNREFUSED')
  })

  it('health() is ok when nothing failed, and a fixed plugin comes back on the next initialize()', async () => {
    let broken = true
    class Flaky extends PepperpyPlugin {
      override async initialize(): Promise<void> {
        if (broken) throw new Error('not yet')
      }
    }
    const r = memoryResolver({
      classes: { 'db/pg': Flaky, 'reports/daily': recorder([]) },
      deps: { 'reports/daily': [{ type: 'db', provider: 'pg' }] },
    })
    const m = new PluginManager({ resolver: r, logger: capturingLogger(), bootFailure: 'continue' })
    await m.createInstance('reports', 'daily')
    // dependencies are created (and held) when the boot links them
    expect(m.health()).toEqual({ status: 'ok', plugins: [{ id: 'reports/daily', state: 'pending' }] })
    await m.initialize()
    expect(m.health().status).toBe('degraded')
    broken = false
    await m.initialize()
    expect(m.health()).toEqual({
      status: 'ok',
      plugins: [
        { id: 'db/pg', state: 'initialized', initMs: ms },
        { id: 'reports/daily', state: 'initialized', initMs: ms },
      ],
    })
  })
})

describe('still initializing', () => {
  it('is logged at 5, 10, 20 and 40 s by default, and no more once it settles', async () => {
    vi.useFakeTimers()
    let release!: () => void
    class Slow extends PepperpyPlugin {
      override initialize(): Promise<void> {
        return new Promise((r) => (release = r))
      }
    }
    const logger = capturingLogger()
    const m = new PluginManager({ resolver: memoryResolver({ classes: { 'db/pg': Slow } }), logger, initTimeoutMs: Infinity })
    await m.createInstance('db', 'pg')
    const booting = m.initialize()
    await vi.advanceTimersByTimeAsync(4_900)
    expect(logger.warnings).toEqual([])
    expect(byId(m.health().plugins)['db/pg']!.state).toBe('initializing')
    await vi.advanceTimersByTimeAsync(200)
    expect(logger.warnings).toEqual(['plugin "db/pg" is still initializing after 5 s (its initialize() has not settled)'])
    await vi.advanceTimersByTimeAsync(35_000)
    expect(logger.warnings.map((w) => w.match(/after (\d+ s)/)?.[1])).toEqual(['5 s', '10 s', '20 s', '40 s'])
    expect(formatBootReport(m.bootReport())).toContain('db/pg still initializing (')
    release()
    await booting
    await vi.advanceTimersByTimeAsync(100_000)
    expect(logger.warnings).toHaveLength(4)
    expect(byId(m.health().plugins)['db/pg']!.state).toBe('initialized')
  })

  it('thresholds are configurable; [] turns the warnings off', async () => {
    vi.useFakeTimers()
    let release!: () => void
    class Slow extends PepperpyPlugin {
      override initialize(): Promise<void> {
        return new Promise((r) => (release = r))
      }
    }
    const logger = capturingLogger()
    const quiet = capturingLogger()
    const make = (l: typeof logger, slowInitWarnMs: number[]) =>
      new PluginManager({ resolver: memoryResolver({ classes: { 'db/pg': Slow } }), logger: l, initTimeoutMs: Infinity, slowInitWarnMs })
    const m = make(logger, [50, 150])
    await m.createInstance('db', 'pg')
    const booting = m.initialize()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(logger.warnings).toEqual([
      'plugin "db/pg" is still initializing after 50 ms (its initialize() has not settled)',
      'plugin "db/pg" is still initializing after 150 ms (its initialize() has not settled)',
    ])
    release()
    await booting
    const off = make(quiet, [])
    await off.createInstance('db', 'pg')
    const again = off.initialize()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(quiet.warnings).toEqual([])
    release()
    await again
  })
})
