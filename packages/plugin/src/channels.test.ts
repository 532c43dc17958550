import { tracingChannel } from 'node:diagnostics_channel'
import { afterEach, describe, expect, it } from 'vitest'
import { channels, channelTracer } from './channels.js'
import { instantiatePlugin } from './instantiate.js'
import { addLifecycleHook } from './hooks.js'
import { PepperpyPlugin } from './plugin.js'

type Event = [string, string, Record<string, unknown>]
const EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const
const undo: Array<() => void> = []

/** Subscribes to every event of `name`; records `[channel, event, copy of the context]`. */
function record(name: string, into: Event[]): void {
  const ch = tracingChannel(name)
  const handlers = Object.fromEntries(EVENTS.map((e) => [e, (ctx: unknown) => into.push([name, e, { ...(ctx as object) }])]))
  ch.subscribe(handlers as never)
  undo.push(() => ch.unsubscribe(handlers as never))
}

afterEach(() => {
  for (const u of undo.splice(0)) u()
})

class Plain extends PepperpyPlugin {
  override async initialize(): Promise<void> {}
}

describe('channels', () => {
  it('names every operation of DESIGN 6.3', () => {
    expect(Object.values(channels).sort()).toEqual(
      [
        'pepperpy:call',
        'pepperpy:cleanup',
        'pepperpy:create',
        'pepperpy:discover',
        'pepperpy:initialize',
        'pepperpy:load',
        'pepperpy:reload',
        'pepperpy:state:load',
        'pepperpy:state:save',
      ].sort(),
    )
  })

  it('a tracer is active while something subscribes; one tracer per channel', () => {
    const init = channelTracer(channels.initialize)
    expect(channelTracer(channels.initialize)).toBe(init)
    expect(init.active).toBe(false)
    const events: Event[] = []
    record(channels.initialize, events)
    expect(init.active).toBe(true)
    expect(channelTracer(channels.cleanup).active).toBe(false)
    undo.pop()!()
    expect(init.active).toBe(false)
  })

  it('tracePromise publishes start, end, asyncStart, asyncEnd with the result, or error', async () => {
    const events: Event[] = []
    record(channels.load, events)
    const load = channelTracer(channels.load)
    await expect(load.tracePromise({ pluginId: 'a/b', file: '/x.ts' }, async () => 42)).resolves.toBe(42)
    const boom = new Error('boom')
    await expect(load.tracePromise({ pluginId: 'a/c' }, () => Promise.reject(boom))).rejects.toBe(boom)
    expect(events.map(([, e, c]) => `${e} ${c['pluginId']}`)).toEqual([
      'start a/b',
      'end a/b',
      'asyncStart a/b',
      'asyncEnd a/b',
      'start a/c',
      'end a/c',
      'error a/c',
      'asyncStart a/c',
      'asyncEnd a/c',
    ])
    expect(events[3]![2]).toMatchObject({ pluginId: 'a/b', file: '/x.ts', result: 42 })
    expect(events[6]![2]).toMatchObject({ error: boom })
  })

  it('traceSync publishes start, end and error; without subscribers it only runs the function', () => {
    const discover = channelTracer(channels.discover)
    expect(discover.traceSync({ pluginId: '' }, () => 'untraced')).toBe('untraced')
    const events: Event[] = []
    record(channels.discover, events)
    expect(discover.traceSync({ pluginId: 'a/b', file: 'f' }, () => 1)).toBe(1)
    expect(() =>
      discover.traceSync({ pluginId: 'a/c', file: 'g' }, () => {
        throw new Error('bad')
      }),
    ).toThrow('bad')
    expect(events.map(([, e, c]) => `${e} ${c['pluginId']}`)).toEqual(['start a/b', 'end a/b', 'start a/c', 'error a/c', 'end a/c'])
  })

  it("traces a plugin's initialize() and cleanup() once each, with its id, type and provider", async () => {
    const events: Event[] = []
    record(channels.initialize, events)
    record(channels.cleanup, events)
    const p = instantiatePlugin(Plain, { type: 'llm', provider: 'echo' })
    await Promise.all([p.initialize(), p.initialize()])
    await p.initialize()
    await p.cleanup()
    await p.cleanup() // nothing to clean: not traced
    expect(events.map(([n, e]) => `${n} ${e}`)).toEqual([
      'pepperpy:initialize start',
      'pepperpy:initialize end',
      'pepperpy:initialize asyncStart',
      'pepperpy:initialize asyncEnd',
      'pepperpy:cleanup start',
      'pepperpy:cleanup end',
      'pepperpy:cleanup asyncStart',
      'pepperpy:cleanup asyncEnd',
    ])
    for (const [, , ctx] of events) expect(ctx).toMatchObject({ pluginId: 'llm/echo', type: 'llm', provider: 'echo' })
  })

  it('a failed initialize() publishes error with the cause, and hooks run inside its async context', async () => {
    const events: Event[] = []
    record(channels.initialize, events)
    const { AsyncLocalStorage } = await import('node:async_hooks')
    const store = new AsyncLocalStorage<string>()
    const ch = tracingChannel(channels.initialize)
    ch.start.bindStore(store, (ctx) => (ctx as { pluginId: string }).pluginId)
    undo.push(() => ch.start.unbindStore(store))
    class Failing extends PepperpyPlugin {
      override async initialize(): Promise<void> {
        throw new Error(`failed inside ${store.getStore()}`)
      }
    }
    const p = instantiatePlugin(Failing, { type: 'db', provider: 'pg' })
    let seen: string | undefined
    addLifecycleHook(p, 'beforeInitialize', () => {
      seen = store.getStore()
    })
    await expect(p.initialize()).rejects.toThrow('failed inside db/pg')
    expect(seen).toBe('db/pg')
    expect(events.map(([, e]) => e)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd'])
    const error = events[2]![2]['error'] as Error
    expect(error.message).toBe('plugin "db/pg": initialize() failed: failed inside db/pg')
    expect((error.cause as Error).message).toBe('failed inside db/pg')
    expect(p.initialized).toBe(false)
  })
})
