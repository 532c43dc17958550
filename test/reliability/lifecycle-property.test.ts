// Over 300 lines: the property (its model of calls, plugins and invariants) and the focused tests of
// the bugs it found belong together; the table in docs/reliability.md indexes them.
// Issue #13 — one lifecycle on every path: a property over whole sequences of public calls
// (createInstance, createProviderInstance, manager.initialize/cleanup, instance.initialize/cleanup,
// dispose) on a small dependency graph, with overlapping calls, flaky and slow plugins and shared
// resources. The invariants are checked after everything settles and after dispose().
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { lifecycleState, PepperpyError, PepperpyPlugin, ResourceMixin, type PluginSystem } from '@pepperpy/plugins'
import { cleanupAll, poolOf, system } from './helpers.js'

afterEach(cleanupAll)

const KINDS = ['base', 'mid', 'top', 'solo'] as const
type Kind = (typeof KINDS)[number]
/** `top` needs `mid` and `base`, `mid` needs `base`; `solo` stands alone. */
const NEEDS: Record<Kind, Kind[]> = { base: [], mid: ['base'], top: ['mid', 'base'], solo: [] }
/** The resource each kind takes in its initialize(): shared by key, or private to the instance. */
const RESOURCE: Record<Kind, { key: string; scope: 'shared' | 'plugin' } | undefined> = {
  base: { key: 'db', scope: 'shared' },
  mid: { key: 'cache', scope: 'shared' },
  top: undefined,
  solo: { key: 'scratch', scope: 'plugin' },
}
const LIMITS = { initTimeoutMs: 2_000, cleanupTimeoutMs: 2_000 }
/** Far above anything a run needs (a few hundred ticks): reaching it means a call hangs. */
const HANG_MS = 15_000

const ticks = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r))
}

interface Behaviour {
  initTicks: number
  cleanupTicks: number
  /** The k-th initialize() of this kind fails when `fails[k % fails.length]`. */
  fails: boolean[]
}

type Op =
  | { op: 'create' | 'provide' | 'initHeld' | 'cleanupHeld'; kind: Kind }
  | { op: 'initDirect' | 'cleanupDirect'; index: number }
  | { op: 'boot' | 'shutdown' | 'dispose' }

const kind = fc.constantFrom(...KINDS)
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('create' as const), kind }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('provide' as const), kind }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constant('boot' as const) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('shutdown' as const) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('initHeld' as const), kind }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('cleanupHeld' as const), kind }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('initDirect' as const), index: fc.nat(5) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('cleanupDirect' as const), index: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('dispose' as const) }) },
)
const behaviourArb: fc.Arbitrary<Behaviour> = fc.record({
  initTicks: fc.nat(3),
  cleanupTicks: fc.nat(3),
  fails: fc.array(
    fc.nat(5).map((n) => n === 0),
    { minLength: 1, maxLength: 4 },
  ),
})
const behavioursArb = fc.record({ base: behaviourArb, mid: behaviourArb, top: behaviourArb, solo: behaviourArb })
/** Some kinds are held from the start (created, not initialized), then the calls follow. */
const stepsArb = fc
  .tuple(fc.subarray([...KINDS], { minLength: 1 }), fc.array(fc.record({ call: opArb, wait: fc.nat(4) }), { minLength: 1, maxLength: 16 }))
  .map(([held, calls]) => [...held.map((k) => ({ call: { op: 'create' as const, kind: k }, wait: 0 })), ...calls])

/** What one instance's own initialize()/cleanup() did. */
interface Trace {
  id: string
  active: number
  inits: number
  cleanups: number
}

/** A call made by the run, with what it settled to. */
interface Call {
  label: string
  afterDispose: boolean
  settled: boolean
  error?: unknown
  promise: Promise<void>
}

/** What a run records, and what its plugins may read about it. */
interface Run {
  traces: Map<object, Trace>
  violations: string[]
  counts: { made: number; released: number }
  /** dispose() began (it cleans every instance at once, dependencies included). */
  disposing: boolean
  /** A held dependency was cleaned up directly: a dependent may sit on it (the caller's choice). */
  cleanedHeldDirectly: boolean
}

/** Registers the four kinds in `s`; every instance reports into `run`. */
function register(s: PluginSystem, behaviours: Record<Kind, Behaviour>, run: Run): void {
  const { traces, violations, counts } = run
  for (const k of KINDS) {
    const b = behaviours[k]
    let calls = 0
    const traceOf = (p: PepperpyPlugin): Trace => {
      let t = traces.get(p)
      if (!t) traces.set(p, (t = { id: `${p.pluginId}#${traces.size}`, active: 0, inits: 0, cleanups: 0 }))
      return t
    }
    class Node extends ResourceMixin(PepperpyPlugin) {
      static override dependencies = NEEDS[k].map((type) => ({ type, provider: 'x' }))
      override async initialize(): Promise<void> {
        const t = traceOf(this)
        if (t.active++ > 0) violations.push(`${t.id}: initialize() overlaps another step`)
        if (s.manager.getInstance(k, 'x') === this && !run.disposing && !run.cleanedHeldDirectly)
          for (const dep of NEEDS[k]) {
            const d = s.manager.getInstance(dep, 'x')
            if (!d || lifecycleState(d) !== 'initialized')
              violations.push(`${t.id}: initialize() runs while ${dep}/x is ${d ? lifecycleState(d) : 'absent'}`)
          }
        try {
          const r = RESOURCE[k]
          if (r)
            await this.getResource(r.key, {
              scope: r.scope,
              factory: () => ({ n: ++counts.made }),
              cleanup: () => void counts.released++,
            })
          await ticks(b.initTicks)
          if (b.fails[calls++ % b.fails.length]) throw new Error(`${k}: flaky initialize`)
          t.inits++
        } finally {
          t.active--
        }
      }
      override async cleanup(): Promise<void> {
        const t = traceOf(this)
        if (t.active++ > 0) violations.push(`${t.id}: cleanup() overlaps another step`)
        await ticks(b.cleanupTicks)
        t.cleanups++
        if (t.cleanups > t.inits) violations.push(`${t.id}: ${t.cleanups} cleanups after ${t.inits} initializations`)
        t.active--
      }
    }
    s.registerPlugin(k, 'x', Node)
  }
}

/** Waits for every call, failing (instead of hanging the test) when one does not settle within {@link HANG_MS}. */
async function settleAll(calls: Call[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<'hang'>((r) => (timer = setTimeout(() => r('hang'), HANG_MS)))
  const outcome = await Promise.race([Promise.all(calls.map((c) => c.promise)).then(() => 'ok' as const), hang])
  clearTimeout(timer)
  if (outcome === 'hang') {
    const open = calls.filter((c) => !c.settled).map((c) => c.label)
    throw new Error(`calls that never settled: ${open.join(', ')}`)
  }
}

describe('one lifecycle on every path: sequences of public calls', () => {
  it('property: any sequence of create/initialize/cleanup/dispose calls settles, never overlaps a plugin’s own steps, keeps dependencies up under initialized dependents, and leaves nothing initialized or held after dispose()', async () => {
    await fc.assert(
      fc.asyncProperty(behavioursArb, stepsArb, async (behaviours, steps) => {
        const s = system(LIMITS)
        const run: Run = {
          traces: new Map(),
          violations: [],
          counts: { made: 0, released: 0 },
          disposing: false,
          cleanedHeldDirectly: false,
        }
        const { traces, violations, counts } = run
        register(s, behaviours, run)
        const direct: PepperpyPlugin[] = []
        const calls: Call[] = []
        const call = (label: string, fn: () => Promise<unknown>): void => {
          const c: Call = { label, afterDispose: run.disposing, settled: false, promise: Promise.resolve() }
          c.promise = Promise.resolve()
            .then(fn)
            .then(
              () => void (c.settled = true),
              (error: unknown) => {
                c.settled = true
                c.error = error
              },
            )
          calls.push(c)
        }
        const dispose = (label: string): void => {
          call(label, () => s.dispose())
          run.disposing = true // dispose() aborts the system's closed signal synchronously
        }

        for (const { call: step, wait } of steps) {
          switch (step.op) {
            case 'create':
              call(`createInstance(${step.kind})`, () => s.manager.createInstance(step.kind, 'x'))
              break
            case 'provide':
              call(`createProviderInstance(${step.kind})`, async () => {
                direct.push(await s.createProviderInstance(step.kind, 'x'))
              })
              break
            case 'boot':
              call('manager.initialize()', () => s.manager.initialize())
              break
            case 'shutdown':
              call('manager.cleanup()', () => s.manager.cleanup())
              break
            case 'initHeld': {
              const p = s.manager.getInstance(step.kind, 'x')
              if (p) call(`held ${step.kind}.initialize()`, () => p.initialize())
              break
            }
            case 'cleanupHeld': {
              const p = s.manager.getInstance(step.kind, 'x')
              if (p) {
                run.cleanedHeldDirectly = true
                call(`held ${step.kind}.cleanup()`, () => p.cleanup())
              }
              break
            }
            case 'initDirect':
            case 'cleanupDirect': {
              const p = direct[step.index % Math.max(1, direct.length)]
              if (!p) break
              if (step.op === 'initDirect') call(`direct ${p.pluginId}.initialize()`, () => p.initialize())
              else call(`direct ${p.pluginId}.cleanup()`, () => p.cleanup())
              break
            }
            case 'dispose':
              dispose('dispose() (middle)')
              break
          }
          await ticks(wait)
        }
        await settleAll(calls)

        const held = (): PepperpyPlugin[] => s.manager.listInstances()
        const all = (): PepperpyPlugin[] => [...new Set([...held(), ...direct, ...(traces.keys() as Iterable<PepperpyPlugin>)])]
        if (!run.disposing) {
          // quiescence: a held plugin that is initialized sits on initialized dependencies, and an
          // instance that is not initialized holds no resource
          if (!run.cleanedHeldDirectly)
            for (const p of held()) {
              if (!p.initialized) continue
              for (const dep of NEEDS[p.pluginType as Kind])
                expect(s.manager.getInstance(dep, 'x')?.initialized, `${p.pluginId} is initialized on ${dep}/x`).toBe(true)
            }
          for (const p of all()) {
            expect(['idle', 'initialized']).toContain(lifecycleState(p))
            const r = RESOURCE[p.pluginType as Kind]
            if (r && !p.initialized) expect(poolOf(s).has(r.key, p), `${p.pluginId} holds ${r.key} while idle`).toBe(false)
          }
        }

        dispose('dispose() (end)')
        // nothing starts once dispose() began: each of these rejects with a clear error
        call('createInstance after dispose', () => s.manager.createInstance('solo', 'x'))
        call('createProviderInstance after dispose', () => s.createProviderInstance('solo', 'x'))
        call('manager.initialize() after dispose', () => s.manager.initialize())
        for (const p of all()) call(`${p.pluginId}.initialize() after dispose`, () => p.initialize())
        await settleAll(calls)

        expect(violations.join('\n')).toBe('')
        for (const c of calls) {
          if (c.label.startsWith('dispose()')) expect(c.error, c.label).toBeUndefined()
          if (c.error !== undefined) expect(PepperpyError.is(c.error), `${c.label} rejected with ${String(c.error)}`).toBe(true)
          if (c.afterDispose && !c.label.includes('cleanup') && !c.label.startsWith('dispose()')) {
            expect(c.error, `${c.label} was not refused`).toBeDefined()
            expect((c.error as Error).message, c.label).toMatch(/dispos/)
          }
        }
        for (const p of all()) {
          expect(p.initialized, p.pluginId).toBe(false)
          expect(lifecycleState(p), p.pluginId).toBe('idle')
        }
        for (const t of traces.values()) expect(t.cleanups, `${t.id}: one cleanup per initialization`).toBe(t.inits)
        expect(counts.released).toBe(counts.made)
        expect(poolOf(s).stats().resources).toEqual([])
      }),
      { numRuns: 600, seed: 4 },
    )
  })
})

/** A promise to wait on and the function that settles it. */
function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void
  const promise = new Promise<void>((r) => (open = r))
  return { promise, open }
}

describe('regressions the property found (manager and system)', () => {
  /** Registers `type/x` depending on `needs`, running `init` as its initialize() and logging its steps. */
  function plugin(
    s: PluginSystem,
    log: string[],
    type: string,
    needs: string[],
    init: (self: PepperpyPlugin) => Promise<void> = async () => {},
  ) {
    class P extends PepperpyPlugin {
      static override dependencies = needs.map((t) => ({ type: t, provider: 'x' }))
      override async initialize(): Promise<void> {
        const down = needs.filter((t) => lifecycleState(s.manager.getInstance(t, 'x')!) !== 'initialized')
        log.push(down.length ? `${type}:init on ${down.join(',')} down` : `${type}:init`)
        await init(this)
      }
      override async cleanup(): Promise<void> {
        log.push(`${type}:cleanup`)
      }
    }
    s.registerPlugin(type, 'x', P)
  }

  it('a failed boot does not roll back a dependency that a plugin initialized meanwhile stands on', async () => {
    const s = system(LIMITS)
    const log: string[] = []
    const failing = latch()
    const started = latch()
    plugin(s, log, 'base', [])
    plugin(s, log, 'app', ['base'], async () => {
      started.open()
      await failing.promise
      throw new Error('app fails')
    })
    plugin(s, log, 'mid', ['base'])
    await s.manager.createInstance('app', 'x')
    const boot = s.manager.initialize().catch((e: unknown) => e)
    await started.promise
    const mid = await s.manager.createInstance('mid', 'x')
    await mid.initialize()
    failing.open()
    expect(String(await boot)).toContain('app fails')
    expect(mid.initialized).toBe(true)
    expect(s.manager.getInstance('base', 'x')?.initialized).toBe(true)
    expect(log).not.toContain('base:cleanup')
  })

  it('a rollback does not clean a dependency while a dependent’s own initialize() still runs on it (even with a cleanup queued behind it)', async () => {
    const s = system(LIMITS)
    const log: string[] = []
    const failing = latch()
    const appStarted = latch()
    const midGate = latch()
    const midStarted = latch()
    plugin(s, log, 'base', [])
    plugin(s, log, 'app', ['base'], async () => {
      appStarted.open()
      await failing.promise
      throw new Error('app fails')
    })
    plugin(s, log, 'mid', ['base'], async () => {
      midStarted.open()
      await midGate.promise
      log.push(`mid:init end with base ${lifecycleState(s.manager.getInstance('base', 'x')!)}`)
    })
    await s.manager.createInstance('app', 'x')
    const boot = s.manager.initialize().catch((e: unknown) => e)
    await appStarted.promise
    const mid = await s.manager.createInstance('mid', 'x')
    const midInit = mid.initialize().catch((e: unknown) => e)
    await midStarted.promise
    const cleanup = s.manager.cleanup() // queues mid's cleanup behind its running initialize()
    failing.open()
    expect(String(await boot)).toContain('app fails')
    midGate.open()
    await midInit
    await cleanup
    expect(log).toContain('mid:init end with base initialized')
    expect(log.indexOf('base:cleanup')).toBeGreaterThan(log.indexOf('mid:cleanup'))
    for (const p of s.manager.listInstances()) expect(p.initialized, p.pluginId).toBe(false)
  })

  it('manager.initialize() called while manager.cleanup() runs ends with everything initialized, no dependent on a cleaned dependency', async () => {
    const s = system(LIMITS)
    const log: string[] = []
    const topClean = latch()
    const topCleaning = latch()
    plugin(s, log, 'base', [])
    plugin(s, log, 'mid', ['base'])
    class Top extends PepperpyPlugin {
      static override dependencies = [{ type: 'mid', provider: 'x' }]
      override async initialize(): Promise<void> {
        log.push(lifecycleState(s.manager.getInstance('mid', 'x')!) === 'initialized' ? 'top:init' : 'top:init on mid down')
      }
      override async cleanup(): Promise<void> {
        topCleaning.open()
        await topClean.promise
        log.push('top:cleanup')
      }
    }
    s.registerPlugin('top', 'x', Top)
    await s.manager.createInstance('top', 'x')
    await s.manager.initialize()
    const cleanup = s.manager.cleanup()
    await topCleaning.promise
    const boot = s.manager.initialize()
    topClean.open()
    await cleanup
    await boot
    for (const p of s.manager.listInstances()) expect(p.initialized, p.pluginId).toBe(true)
    expect(log.filter((l) => l.includes('down'))).toEqual([])
  })

  it('a dependent does not start on a dependency whose cleanup is queued behind its initialize()', async () => {
    const s = system(LIMITS)
    const log: string[] = []
    const midGate = latch()
    const midStarted = latch()
    plugin(s, log, 'base', [])
    plugin(s, log, 'mid', ['base'], async () => {
      midStarted.open()
      await midGate.promise
    })
    plugin(s, log, 'top', ['mid'])
    await s.manager.createInstance('top', 'x')
    const first = s.manager.initialize().catch((e: unknown) => e)
    await midStarted.promise
    const cleanup = s.manager.cleanup() // cancels the first boot; mid's cleanup waits behind its initialize()
    const second = s.manager.initialize().catch((e: unknown) => e)
    midGate.open()
    expect(PepperpyError.is(await first)).toBe(true)
    await cleanup
    await second
    expect(log.filter((l) => l.includes('down'))).toEqual([])
    const top = s.manager.getInstance('top', 'x')!
    if (top.initialized) for (const dep of ['mid', 'base']) expect(s.manager.getInstance(dep, 'x')?.initialized, dep).toBe(true)
  })

  it('plugin.initialize() of a held plugin while manager.cleanup() cleans its dependency brings the dependency back up first', async () => {
    const s = system(LIMITS)
    const log: string[] = []
    const baseClean = latch()
    const baseCleaning = latch()
    class Base extends PepperpyPlugin {
      override async cleanup(): Promise<void> {
        baseCleaning.open()
        await baseClean.promise
        log.push('base:cleanup')
      }
    }
    s.registerPlugin('base', 'x', Base)
    plugin(s, log, 'mid', ['base'])
    const mid = await s.manager.createInstance('mid', 'x')
    await s.manager.initialize()
    const cleanup = s.manager.cleanup()
    await baseCleaning.promise // mid is cleaned up, base is being cleaned up
    const again = mid.initialize()
    baseClean.open()
    await cleanup
    await again
    expect(log).toEqual(['mid:init', 'mid:cleanup', 'base:cleanup', 'mid:init'])
    expect(s.manager.getInstance('base', 'x')?.initialized).toBe(true)
  })

  it('after dispose() began, manager.createInstance() and manager.initialize() reject naming the disposal (also with nothing held)', async () => {
    const s = system(LIMITS)
    s.registerPlugin('a', 'x', PepperpyPlugin)
    await s.dispose()
    await expect(s.manager.createInstance('a', 'x')).rejects.toThrow('cannot create "a/x": the plugin system is disposed')
    await expect(s.manager.initialize()).rejects.toThrow('manager.initialize() refused: its plugin system is being disposed')
    expect(s.manager.listInstances()).toEqual([])
  })
})
