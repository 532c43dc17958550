// Over 300 lines: one scenario per test, each self-contained (the table in docs/reliability.md indexes them).
// Issue #13 — one lifecycle on every path (DESIGN decision 18): every initialize() and cleanup() is
// bounded whoever calls it, overlapping calls are defined, nothing starts after dispose(), and any
// thrown value is reported naming the plugin with the cause kept.
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import {
  autoContext,
  lifecycleState,
  PepperpyError,
  PepperpyPlugin,
  PluginInitError,
  PluginTimeoutError,
  ResourceMixin,
  type PluginSystem,
} from '@pepperpy/plugins'
import { cleanupAll, poolOf, system } from './helpers.js'

afterEach(cleanupAll)

const never = (): Promise<never> => new Promise(() => {})
const LIMITS = { initTimeoutMs: 60, cleanupTimeoutMs: 60 }

class HangsInCleanup extends PepperpyPlugin {
  override async cleanup(): Promise<void> {
    await never()
  }
}

class HangsInInit extends PepperpyPlugin {
  override async initialize(): Promise<void> {
    await never()
  }
}

/** Values a plugin may throw, including ones that cannot be printed. */
const nullProto = Object.assign(Object.create(null) as object, { code: 42 })
const throwingMessage = {
  get message(): string {
    throw new Error('message getter exploded')
  },
}
const circular: Record<string, unknown> = { name: 'loop' }
circular['self'] = circular
const THROWN: Array<[string, unknown]> = [
  ['an Error', new Error('plain')],
  ['a string', 'just a string'],
  ['undefined', undefined],
  ['null', null],
  ['a number', 7],
  ['a symbol', Symbol('sym')],
  ['a null-prototype object', nullProto],
  ['an object whose message getter throws', throwingMessage],
  ['a circular object', circular],
  ['a BigInt', 10n],
]

describe('every cleanup() is bounded, whoever calls it', () => {
  it('system.dispose() returns although a cleanup() never settles, and reports the timeout naming the plugin', async () => {
    const s = system(LIMITS)
    s.registerPlugin('stuck', 'x', HangsInCleanup)
    const p = await s.createProviderInstance('stuck', 'x')
    await p.initialize()
    const error = await s.dispose().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(PluginTimeoutError)
    expect((error as PluginTimeoutError).pluginId).toBe('stuck/x')
    expect((error as Error).message).toContain('did not finish cleanup() within 60 ms')
    expect(p.initialized).toBe(false)
  })

  it('autoContext(plugin, fn) returns fn’s result even when cleanup() hangs: the timeout is the error', async () => {
    const s = system(LIMITS)
    s.registerPlugin('stuck', 'x', HangsInCleanup)
    const p = await s.createProviderInstance('stuck', 'x')
    await expect(autoContext(p, () => 'done')).rejects.toBeInstanceOf(PluginTimeoutError)
    expect(lifecycleState(p)).toBe('idle')
  })

  it('a rollback after a failed boot is bounded by cleanupTimeoutMs', async () => {
    const s = system(LIMITS)
    class Fails extends PepperpyPlugin {
      static override dependencies = [{ type: 'stuck', provider: 'x' }]
      override async initialize(): Promise<void> {
        throw new Error('boot failure')
      }
    }
    s.registerPlugin('stuck', 'x', HangsInCleanup)
    s.registerPlugin('app', 'x', Fails)
    await s.manager.createInstance('app', 'x')
    const error = await s.manager.initialize().catch((e: unknown) => e)
    expect(PepperpyError.is(error)).toBe(true)
    expect((error as Error).message).toContain('boot failure')
    expect(s.manager.getInstance('stuck', 'x')?.initialized).toBe(false)
  })

  it('a hung cleanup() still releases what extensions hold for the plugin (its shared resource)', async () => {
    const s = system(LIMITS)
    let released = 0
    class Holder extends ResourceMixin(PepperpyPlugin) {
      override async initialize(): Promise<void> {
        await this.getResource('db', { factory: () => ({}), cleanup: () => void released++ })
      }
      override async cleanup(): Promise<void> {
        await never()
      }
    }
    s.registerPlugin('db', 'holder', Holder)
    const p = await s.createProviderInstance('db', 'holder')
    await p.initialize()
    await expect(p.cleanup()).rejects.toBeInstanceOf(PluginTimeoutError)
    expect(released).toBe(1)
    expect(poolOf(s).stats().resources).toEqual([])
  })

  it('a timed-out cleanup() is attempted once: calling it again does not run the plugin’s cleanup again', async () => {
    const s = system(LIMITS)
    let runs = 0
    class Counting extends PepperpyPlugin {
      override async cleanup(): Promise<void> {
        runs++
        await never()
      }
    }
    s.registerPlugin('c', 'x', Counting)
    const p = await s.createProviderInstance('c', 'x')
    await p.initialize()
    await expect(p.cleanup()).rejects.toBeInstanceOf(PluginTimeoutError)
    await p.cleanup()
    expect(runs).toBe(1)
  })
})

describe('afterCleanup hooks run on every cleanup() that is not shared, and releasing again is harmless', () => {
  /** A plugin holding one shared resource, counting its own cleanups and the resource's. */
  function holder(s: PluginSystem, counts: { made: number; released: number; cleanups: number }, hang = false) {
    class Holder extends ResourceMixin(PepperpyPlugin) {
      override async initialize(): Promise<void> {
        await this.getResource('db', { factory: () => ++counts.made, cleanup: () => void counts.released++ })
      }
      override async cleanup(): Promise<void> {
        counts.cleanups++
        if (hang) await never()
      }
    }
    s.registerPlugin('db', 'holder', Holder)
  }

  it('cleanup() of an idle instance runs its afterCleanup hooks again; the plugin’s cleanup and the resource’s cleanup still ran once', async () => {
    const { addLifecycleHook } = await import('@pepperpy/plugins')
    const s = system(LIMITS)
    const counts = { made: 0, released: 0, cleanups: 0 }
    holder(s, counts)
    const p = await s.createProviderInstance('db', 'holder')
    let hookRuns = 0
    addLifecycleHook(p, 'afterCleanup', () => void hookRuns++)
    await p.initialize()
    await p.cleanup()
    await p.cleanup()
    await p.cleanup()
    expect(hookRuns).toBe(3)
    expect(counts).toEqual({ made: 1, released: 1, cleanups: 1 })
    expect(poolOf(s).stats().resources).toEqual([])
  })

  it('a resource taken while the plugin is idle is released by its next cleanup() (why the hooks run on an idle instance)', async () => {
    const s = system(LIMITS)
    const counts = { made: 0, released: 0, cleanups: 0 }
    holder(s, counts)
    const p = (await s.createProviderInstance('db', 'holder')) as PepperpyPlugin & {
      getResource: (k: string, o: object) => Promise<unknown>
    }
    await p.initialize()
    await p.cleanup()
    await p.getResource('late', { factory: () => ++counts.made, cleanup: () => void counts.released++ })
    expect(poolOf(s).has('late', p)).toBe(true)
    await p.cleanup()
    expect(poolOf(s).has('late', p)).toBe(false)
    expect(counts).toEqual({ made: 2, released: 2, cleanups: 1 })
  })

  it('after a timed-out cleanup(), another cleanup() resolves (nothing left to release) and releases nothing twice', async () => {
    const s = system(LIMITS)
    const counts = { made: 0, released: 0, cleanups: 0 }
    holder(s, counts, true)
    const p = await s.createProviderInstance('db', 'holder')
    await p.initialize()
    await expect(p.cleanup()).rejects.toBeInstanceOf(PluginTimeoutError)
    await p.cleanup()
    await p.cleanup()
    expect(counts).toEqual({ made: 1, released: 1, cleanups: 1 })
  })

  it('a leader’s lease is released once, however often cleanup() is called, also after a failed initialize()', async () => {
    let token = 0
    const released: number[] = []
    const lease = {
      ttlMs: 1_000,
      acquire: async (name: string) => {
        const t = ++token
        return { name, token: t, lost: new AbortController().signal, release: async () => void released.push(t) }
      },
    }
    const s = system({ ...LIMITS, lease })
    let fail = false
    class Scheduler extends PepperpyPlugin {
      override async initialize(): Promise<void> {
        if (fail) throw new Error('scheduler failed')
      }
    }
    s.registerPlugin('jobs', 'scheduler', Scheduler, { leader: true })
    const p = await s.createProviderInstance('jobs', 'scheduler')
    await p.initialize()
    await p.cleanup()
    await p.cleanup()
    expect(released).toEqual([1])
    fail = true
    await expect(p.initialize()).rejects.toThrow(/scheduler failed/)
    await p.cleanup()
    await p.cleanup()
    expect(released).toEqual([1, 2])
  })
})

describe('every initialize() is bounded, whoever calls it', () => {
  it('an instance from createProviderInstance times out after initTimeoutMs, naming the plugin', async () => {
    const s = system(LIMITS)
    s.registerPlugin('slow', 'x', HangsInInit)
    const p = await s.createProviderInstance('slow', 'x')
    const error = await p.initialize().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PluginTimeoutError)
    expect((error as PluginTimeoutError).pluginId).toBe('slow/x')
    expect(p.signal.aborted).toBe(true) // the abandoned run sees its signal aborted
    expect(lifecycleState(p)).toBe('idle')
  })

  it('autoContext() on a hanging plugin rejects with the timeout instead of waiting forever', async () => {
    const s = system(LIMITS)
    s.registerPlugin('slow', 'x', HangsInInit)
    await expect(autoContext(await s.createProviderInstance('slow', 'x'), () => 1)).rejects.toBeInstanceOf(PluginTimeoutError)
  })

  it('a timed-out initialize() that finishes later is cleaned up, and a new call after that initializes again', async () => {
    const s = system(LIMITS)
    const log: string[] = []
    let release!: () => void
    class Late extends PepperpyPlugin {
      static first = true
      override async initialize(): Promise<void> {
        log.push('init')
        if (Late.first) {
          Late.first = false
          await new Promise<void>((r) => (release = r))
        }
      }
      override async cleanup(): Promise<void> {
        log.push('cleanup')
      }
    }
    s.registerPlugin('late', 'x', Late)
    const p = await s.createProviderInstance('late', 'x')
    await expect(p.initialize()).rejects.toBeInstanceOf(PluginTimeoutError)
    const cleaned = new Promise<void>((resolve) => {
      const original = Late.prototype.cleanup
      Late.prototype.cleanup = async function (this: Late) {
        await original.call(this)
        resolve()
      }
    })
    release()
    await cleaned
    await p.cleanup() // joins the late cleanup step
    expect(p.initialized).toBe(false)
    await p.initialize()
    expect(p.initialized).toBe(true)
    expect(log).toEqual(['init', 'cleanup', 'init'])
  })
})

describe('overlapping lifecycle calls', () => {
  function gated() {
    const log: string[] = []
    let open!: () => void
    const gate = new Promise<void>((r) => (open = r))
    class Gated extends PepperpyPlugin {
      override async initialize(): Promise<void> {
        log.push('init:start')
        await gate
        log.push('init:end')
      }
      override async cleanup(): Promise<void> {
        log.push('cleanup')
      }
    }
    return { log, open: () => open(), Gated }
  }

  it('three cleanup() calls during initialize() abort its signal, wait for it, and clean up once', async () => {
    const { log, open, Gated } = gated()
    const p = Gated.create()
    const init = p.initialize()
    const cleanups = [p.cleanup(), p.cleanup(), p.cleanup()]
    expect(p.signal.aborted).toBe(true)
    open()
    await init
    await Promise.all(cleanups)
    expect(log).toEqual(['init:start', 'init:end', 'cleanup'])
    expect(p.initialized).toBe(false)
  })

  it('initialize() during cleanup() waits for it and then initializes again', async () => {
    const log: string[] = []
    let finish!: () => void
    class SlowCleanup extends PepperpyPlugin {
      override async initialize(): Promise<void> {
        log.push('init')
      }
      override async cleanup(): Promise<void> {
        log.push('cleanup:start')
        await new Promise<void>((r) => (finish = r))
        log.push('cleanup:end')
      }
    }
    const p = SlowCleanup.create()
    await p.initialize()
    const cleaning = p.cleanup()
    const again = p.initialize()
    expect(lifecycleState(p)).toBe('cleaning')
    finish()
    await cleaning
    await again
    expect(p.initialized).toBe(true)
    expect(log).toEqual(['init', 'cleanup:start', 'cleanup:end', 'init'])
  })

  it('an afterInitialize hook that fails undoes what the plugin’s own initialize() opened (its cleanup runs)', async () => {
    const { addLifecycleHook } = await import('@pepperpy/plugins')
    const log: string[] = []
    class Opens extends PepperpyPlugin {
      override async initialize(): Promise<void> {
        log.push('open')
      }
      override async cleanup(): Promise<void> {
        log.push('close')
      }
    }
    const p = Opens.create()
    addLifecycleHook(p, 'afterInitialize', () => {
      throw new Error('hook failed')
    })
    await expect(p.initialize()).rejects.toThrow(/hook failed/)
    expect(log).toEqual(['open', 'close'])
    expect(p.initialized).toBe(false)
  })

  it('an initialize() after a timed-out cleanup() waits for that cleanup: the plugin’s own steps never overlap', async () => {
    const s = system(LIMITS)
    const log: string[] = []
    let finish!: () => void
    class SlowClose extends PepperpyPlugin {
      static slow = true
      override async initialize(): Promise<void> {
        log.push('init')
      }
      override async cleanup(): Promise<void> {
        log.push('cleanup:start')
        if (SlowClose.slow) await new Promise<void>((r) => (finish = r))
        log.push('cleanup:end')
      }
    }
    s.registerPlugin('slow', 'close', SlowClose)
    const p = await s.createProviderInstance('slow', 'close')
    await p.initialize()
    await expect(p.cleanup()).rejects.toBeInstanceOf(PluginTimeoutError)
    const again = p.initialize().catch((e: unknown) => e)
    await new Promise((r) => setImmediate(r))
    expect(log).toEqual(['init', 'cleanup:start'])
    finish()
    await again
    expect(log.slice(0, 3)).toEqual(['init', 'cleanup:start', 'cleanup:end'])
  })

  it('dispose() during manager.initialize() stops it: no dependent is initialized on top of cleaned-up dependencies', async () => {
    const s = system({ initTimeoutMs: 5_000, cleanupTimeoutMs: 5_000 })
    const { log, open, Gated } = gated()
    let held = 0
    class Dependent extends ResourceMixin(PepperpyPlugin) {
      static override dependencies = [{ type: 'base', provider: 'x' }]
      override async initialize(): Promise<void> {
        log.push('dependent:init')
        await this.getResource('conn', { factory: () => ++held, cleanup: () => void held-- })
      }
    }
    s.registerPlugin('base', 'x', Gated)
    s.registerPlugin('app', 'x', Dependent)
    const app = await s.manager.createInstance('app', 'x')
    const booting = s.manager.initialize().catch((e: unknown) => e)
    await new Promise((r) => setImmediate(r))
    expect(log).toEqual(['init:start'])
    const disposing = s.dispose()
    open()
    const bootError = await booting
    await disposing
    expect(PepperpyError.is(bootError)).toBe(true)
    expect(log).not.toContain('dependent:init')
    expect(app.initialized).toBe(false)
    expect(s.manager.getInstance('base', 'x')?.initialized).toBe(false)
    expect(held).toBe(0)
    await expect(app.initialize()).rejects.toThrow(/refused: its plugin system is being disposed/)
  })

  it('manager.cleanup() during manager.initialize() leaves nothing initialized', async () => {
    const s = system({ initTimeoutMs: 5_000 })
    const { log, open, Gated } = gated()
    class Dependent extends PepperpyPlugin {
      static override dependencies = [{ type: 'base', provider: 'x' }]
      override async initialize(): Promise<void> {
        log.push('dependent:init')
      }
    }
    s.registerPlugin('base', 'x', Gated)
    s.registerPlugin('app', 'x', Dependent)
    await s.manager.createInstance('app', 'x')
    const booting = s.manager.initialize().catch((e: unknown) => e)
    await new Promise((r) => setImmediate(r))
    const cleaning = s.manager.cleanup()
    open()
    expect(PepperpyError.is(await booting)).toBe(true)
    await cleaning
    expect(log).not.toContain('dependent:init')
    for (const p of s.manager.listInstances()) expect(p.initialized).toBe(false)
    await s.manager.initialize() // and a later boot works again
    expect(log).toContain('dependent:init')
  })

  it('createProviderInstance after dispose() began is refused', async () => {
    const s = system()
    s.registerPlugin('a', 'x', PepperpyPlugin)
    await s.dispose()
    await expect(s.createProviderInstance('a', 'x')).rejects.toThrow(/disposed/)
  })

  it('property: any interleaving of initialize/cleanup calls ends in the state the last call asked for, never overlaps the plugin’s own steps, and cleans up once per initialization', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ op: fc.constantFrom('initialize', 'cleanup'), wait: fc.nat(3), fail: fc.boolean() }), {
          minLength: 1,
          maxLength: 12,
        }),
        async (calls) => {
          let active = 0
          let overlap = false
          let inits = 0
          let cleanups = 0
          let failNext = false
          class Probe extends PepperpyPlugin {
            override async initialize(): Promise<void> {
              if (active++ > 0) overlap = true
              await new Promise((r) => setImmediate(r))
              active--
              if (failNext) {
                failNext = false
                throw new Error('flaky init')
              }
              inits++
            }
            override async cleanup(): Promise<void> {
              if (active++ > 0) overlap = true
              await new Promise((r) => setImmediate(r))
              active--
              cleanups++
            }
          }
          const p = Probe.create()
          const pending: Array<Promise<unknown>> = []
          let lastOp: string | undefined
          let lastFailed = false
          for (const { op, wait, fail } of calls) {
            if (op === 'initialize') {
              const willRun = lifecycleState(p) !== 'initializing' && !(p.initialized && lifecycleState(p) === 'initialized')
              if (fail && willRun) failNext = true
              const run = p.initialize()
              pending.push(run.then(() => (lastFailed = false)).catch(() => (lastFailed = true)))
            } else pending.push(p.cleanup().catch(() => {}))
            lastOp = op
            for (let i = 0; i < wait; i++) await new Promise((r) => setImmediate(r))
          }
          await Promise.all(pending)
          expect(overlap).toBe(false)
          if (lastOp === 'cleanup') {
            expect(p.initialized).toBe(false)
            expect(cleanups).toBe(inits)
          } else if (!lastFailed) expect(p.initialized).toBe(true)
          expect(cleanups).toBeLessThanOrEqual(inits)
          expect(['idle', 'initialized']).toContain(lifecycleState(p))
        },
      ),
      { numRuns: 300, seed: 1302 },
    )
  })

  it('property: dispose() at any point of a boot returns, and leaves nothing initialized or held', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(12), fc.array(fc.nat(3), { minLength: 2, maxLength: 6 }), async (disposeAfter, delays) => {
        const s: PluginSystem = system({ initTimeoutMs: 5_000, cleanupTimeoutMs: 5_000 })
        let held = 0
        delays.forEach((delay, i) => {
          class Node extends ResourceMixin(PepperpyPlugin) {
            static override dependencies = i > 0 ? [{ type: `n${i - 1}`, provider: 'x' }] : []
            override async initialize(): Promise<void> {
              for (let k = 0; k < delay; k++) await new Promise((r) => setImmediate(r))
              await this.getResource(`r${i}`, { factory: () => ++held, cleanup: () => void held-- })
            }
          }
          s.registerPlugin(`n${i}`, 'x', Node)
        })
        await s.manager.createInstance(`n${delays.length - 1}`, 'x')
        const booting = s.manager.initialize().catch(() => {})
        for (let k = 0; k < disposeAfter; k++) await new Promise((r) => setImmediate(r))
        await s.dispose().catch(() => {})
        await booting
        for (const p of s.manager.listInstances()) expect(p.initialized).toBe(false)
        expect(held).toBe(0)
      }),
      { numRuns: 100, seed: 1303 },
    )
  })
})

describe('anything thrown is reported naming the plugin, with the cause kept', () => {
  for (const [label, value] of THROWN) {
    it(`initialize() throws ${label}: a PluginInitError naming the plugin on the createProviderInstance and manager paths`, async () => {
      const s = system()
      class Throws extends PepperpyPlugin {
        override async initialize(): Promise<void> {
          throw value
        }
      }
      s.registerPlugin('bad', 'x', Throws)
      const direct = await (await s.createProviderInstance('bad', 'x')).initialize().catch((e: unknown) => e)
      expect(direct).toBeInstanceOf(PluginInitError)
      expect((direct as PluginInitError).pluginId).toBe('bad/x')
      expect((direct as Error).message).toMatch(/^plugin "bad\/x": initialize\(\) failed: ./)
      expect((direct as Error).cause).toBe(value)
      await s.manager.createInstance('bad', 'x')
      const managed = await s.manager.initialize().catch((e: unknown) => e)
      expect(managed).toBeInstanceOf(PluginInitError)
      expect((managed as Error).cause).toBe(value)
    })

    it(`a dependency's initialize() throws ${label}: a DependencyError with the chain and the cause`, async () => {
      const s = system()
      class Throws extends PepperpyPlugin {
        override async initialize(): Promise<void> {
          throw value
        }
      }
      class App extends PepperpyPlugin {
        static override dependencies = [{ type: 'bad', provider: 'x' }]
      }
      s.registerPlugin('bad', 'x', Throws)
      s.registerPlugin('app', 'x', App)
      const error = await (await s.createProviderInstance('app', 'x')).initialize().catch((e: unknown) => e)
      expect(PepperpyError.is(error)).toBe(true)
      expect((error as Error).message).toContain('bad/x')
    })
  }

  it('a constructor that throws an unprintable value: the creation rejects with that value and the system keeps working', async () => {
    const s = system()
    class Explodes extends PepperpyPlugin {
      constructor(config?: Record<string, unknown>) {
        super(config)
        throw nullProto
      }
    }
    s.registerPlugin('boom', 'x', Explodes)
    s.registerPlugin('ok', 'x', PepperpyPlugin)
    await expect(s.createProviderInstance('boom', 'x')).rejects.toBe(nullProto)
    await expect(s.manager.createInstance('boom', 'x')).rejects.toBe(nullProto)
    const ok = await s.manager.createInstance('ok', 'x')
    await s.manager.initialize()
    expect(ok.initialized).toBe(true)
  })

  it('cleanup() that throws an unprintable value is reported by dispose() and the other plugins are still cleaned up', async () => {
    const s = system()
    class BadCleanup extends PepperpyPlugin {
      override async cleanup(): Promise<void> {
        throw throwingMessage
      }
    }
    s.registerPlugin('bad', 'x', BadCleanup)
    s.registerPlugin('ok', 'x', PepperpyPlugin)
    const bad = await s.manager.createInstance('bad', 'x')
    const ok = await s.manager.createInstance('ok', 'x')
    await s.manager.initialize()
    const error = await s.dispose().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toContain('bad/x')
    expect(bad.initialized).toBe(false)
    expect(ok.initialized).toBe(false)
  })

  it('a lifecycle hook that throws a symbol fails initialize() with a PluginInitError naming the plugin', async () => {
    const s = system()
    const { addLifecycleHook } = await import('@pepperpy/plugins')
    s.registerPlugin('h', 'x', PepperpyPlugin)
    const p = await s.createProviderInstance('h', 'x')
    addLifecycleHook(p, 'afterInitialize', () => {
      throw Symbol('hook')
    })
    const error = await p.initialize().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PluginInitError)
    expect((error as Error).message).toContain('Symbol(hook)')
    expect(p.initialized).toBe(false)
  })

  it('a plugin created inside another plugin’s constructor keeps its own identity and context (no hidden hand-off)', async () => {
    const s = system()
    class Inner extends PepperpyPlugin {}
    let inner: PepperpyPlugin | undefined
    class Outer extends PepperpyPlugin {
      constructor(config?: Record<string, unknown>) {
        inner = Inner.create({ nested: true })
        super(config)
      }
    }
    s.registerPlugin('outer', 'x', Outer)
    const outer = await s.createProviderInstance('outer', 'x', { a: 1 })
    expect(outer.pluginId).toBe('outer/x')
    expect(outer.config).toMatchObject({ a: 1 })
    expect(inner?.pluginId).toBe('plugin/Inner')
    expect(inner?.config).toEqual({ nested: true })
  })
})
