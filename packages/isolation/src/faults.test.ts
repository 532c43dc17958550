import { describe, expect, test } from 'vitest'
import { PepperpyPlugin } from '@pepperpy/plugin'
import { alive, probeHarness } from './__tests__/harness.js'

// generous limits: the machine may be loaded; only the initialize() loop tests use a short one
const h = probeHarness({ initTimeoutMs: 120_000 })
const short = probeHarness({ initTimeoutMs: 2500, startTimeoutMs: 120_000 })

describe.each(['worker', 'process'] as const)('%s isolation: faults stay inside', (mode) => {
  test('a synchronous infinite loop in a method times out, the isolate is terminated, the next call restarts it', async () => {
    const p = await h.probe({ isolation: mode, limits: { call_timeout_ms: 3000 } })
    await p.initialize()
    const first = await p.where()
    expect(first.isMainThread).toBe(mode === 'process')
    const err = await p.loop().catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'PluginTimeoutError', code: 'PLUGIN_TIMEOUT', pluginId: 'test/iso' })
    expect((err as Error).message).toMatch(/loop\(\) did not finish within 3000 ms/)
    if (mode === 'process') expect(alive(first.pid)).toBe(false)
    expect(await p.echo({ again: [1, 2] })).toEqual({ again: [1, 2] })
    if (mode === 'process') expect((await p.where()).pid).not.toBe(first.pid)
  })

  test('process.exit() rejects the call in flight with PluginCrashedError; the next call restarts with the same config', async () => {
    const p = await h.probe({ isolation: mode }, { config: { greeting: 'hey' } })
    await p.initialize()
    const err = await p.exit(7).catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'PluginCrashedError', code: 'PLUGIN_CRASHED' })
    expect((err as Error).message).toMatch(/test\/iso: its (worker|process) exited with code 7 \(while exit\(\) ran\)/)
    expect(await p.greet('you')).toBe('hey you')
    expect(p.initialized).toBe(true)
  })

  test('an uncaught exception and an unhandled rejection crash only the isolate', async () => {
    const p = await h.probe({ isolation: mode })
    await p.initialize()
    const thrown = await p.crashLater().catch((e: unknown) => e)
    expect(thrown).toMatchObject({ code: 'PLUGIN_CRASHED' })
    expect((thrown as Error).message).toMatch(/boom later/)
    const rejected = await p.rejectLater().catch((e: unknown) => e)
    expect(rejected).toMatchObject({ code: 'PLUGIN_CRASHED' })
    expect((rejected as Error).message).toMatch(/nobody caught me/)
    expect(await p.echo(1)).toBe(1)
  })

  test('running out of memory (limits.memory_mb) crashes the isolate, not the host', async () => {
    const p = await h.probe({ isolation: mode, limits: { memory_mb: 24, call_timeout_ms: 60_000 } })
    await p.initialize()
    const err = await p.oom().catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'PLUGIN_CRASHED' })
    expect((err as Error).message).toMatch(/ran out of memory/)
    expect(await p.echo('still here')).toBe('still here')
  })
})

test('after restart.max crashes within the window calls reject with PluginDisabledError', async () => {
  const p = await h.probe({ isolation: 'worker', restart: { max: 2, window_ms: 60_000 } })
  await p.initialize()
  const before = Date.now()
  await expect(p.exit(1)).rejects.toMatchObject({ code: 'PLUGIN_CRASHED' })
  await expect(p.exit(2)).rejects.toMatchObject({ code: 'PLUGIN_CRASHED' })
  const err = await p.echo(1).catch((e: unknown) => e)
  expect(err).toMatchObject({ name: 'PluginDisabledError', code: 'PLUGIN_DISABLED', pluginId: 'test/iso' })
  const since = /since (\S+) /.exec((err as Error).message)?.[1]
  expect((err as Error).message).toMatch(/crashed 2 times since/)
  expect(Date.parse(since!)).toBeGreaterThanOrEqual(before - 1)
  expect(h.isolation.running()).toEqual([])
})

test('a synchronous loop in initialize() does not freeze the host: initTimeoutMs terminates the worker', async () => {
  const p = await short.probe({ isolation: 'worker' }, { config: { loopInInit: true } })
  let ticks = 0
  const timer = setInterval(() => ticks++, 50)
  try {
    const err = await p.initialize().catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'PLUGIN_TIMEOUT' })
    expect((err as Error).message).toMatch(/initialize\(\) did not finish within 2500 ms/)
  } finally {
    clearInterval(timer)
  }
  expect(ticks).toBeGreaterThan(5)
  expect(p.initialized).toBe(false)
  expect(short.isolation.running()).toEqual([])
})

test('a process stuck in initialize() is killed too (no zombie)', async () => {
  const p = await short.probe({ isolation: 'process' }, { config: { loopInInit: true } })
  const err = await p.initialize().catch((e: unknown) => e)
  expect(err).toMatchObject({ code: 'PLUGIN_TIMEOUT' })
  expect(short.isolation.running()).toEqual([])
})

test('a worker dying during initialize() and a process dying during cleanup() are clear errors; nothing is left running', async () => {
  const dying = await h.probe({ isolation: 'worker' }, { config: { exitInInit: true } })
  const init = await dying.initialize().catch((e: unknown) => e)
  expect(init).toMatchObject({ code: 'PLUGIN_CRASHED', pluginId: 'test/iso' })
  expect((init as Error).message).toMatch(/test\/iso: its worker exited with code 9 \(while initialize\(\) ran\)/)
  expect(dying.initialized).toBe(false)
  const p = await h.probe({ isolation: 'process' }, { config: { exitInCleanup: true } })
  await p.initialize()
  const { pid } = await p.where()
  const cleanup = await p.cleanup().catch((e: unknown) => e)
  expect(cleanup).toMatchObject({ code: 'PLUGIN_CRASHED', pluginId: 'test/iso' })
  expect((cleanup as Error).message).toMatch(/test\/iso: its process exited with code 5 \(while cleanup\(\) ran\)/)
  expect(p.initialized).toBe(false)
  expect(alive(pid)).toBe(false)
  expect(h.isolation.running()).toEqual([])
})

test('the isolated instance is an ordinary PepperpyPlugin to the host', async () => {
  const p = await h.probe({ isolation: 'worker' }, { config: { greeting: 'hi' } })
  expect(p).toBeInstanceOf(PepperpyPlugin)
  expect(p.pluginId).toBe('test/iso')
  expect(typeof p.greet).toBe('function')
  await p.initialize()
  expect(p.config).toMatchObject({ greeting: 'hi', counter: 0 })
  expect(await p.greet('there')).toBe('hi there')
  const err = await p.fail().catch((e: unknown) => e)
  expect(err).toBeInstanceOf(Error)
  expect(err).toMatchObject({ name: 'TypeError', message: 'plugin says no', code: 'E_PROBE', detail: 42 })
})

test('a function argument and an uncloneable result are clear errors naming the plugin and method', async () => {
  const p = await h.probe({ isolation: 'worker' })
  await expect(p.echo({ cb: () => 1 })).rejects.toThrow(/test\/iso\.echo\(\): arguments\[0\]\.cb is a function; functions cannot be passed/)
  await expect(p.uncloneable()).rejects.toThrow(/test\/iso\.uncloneable\(\): its result cannot be cloned/)
  await expect(p.echo(Symbol('x'))).rejects.toThrow(/test\/iso\.echo\(\): an argument cannot be cloned/)
  expect(await p.echo('fine')).toBe('fine')
})

test('a worker dying while idle restarts on the next call; dying during cleanup() is a clear error and nothing is left running', async () => {
  const p = await h.probe({ isolation: 'process' })
  await p.initialize()
  const { pid } = await p.where()
  process.kill(pid, 'SIGKILL')
  await expect.poll(() => alive(pid)).toBe(false)
  expect(await p.echo('back')).toBe('back')
  const { pid: second } = await p.where()
  const hung = p.hang().catch((e: unknown) => e)
  await p.cleanup()
  const err = await hung
  expect(err).toMatchObject({ code: 'PLUGIN_CRASHED' })
  expect((err as Error).message).toMatch(/stopped by cleanup\(\) \(while hang\(\) ran\)/)
  expect(alive(second)).toBe(false)
  expect(h.isolation.running()).toEqual([])
})

test('disposing the isolation while calls are in flight rejects them, naming the plugin', async () => {
  const p = await h.probe({ isolation: 'worker' })
  await p.initialize()
  const calls = [p.hang(), p.hang()].map((c) => c.catch((e: unknown) => e))
  await h.isolation.dispose()
  for (const err of await Promise.all(calls)) {
    expect(err).toMatchObject({ code: 'PLUGIN_CRASHED', pluginId: 'test/iso' })
    expect((err as Error).message).toMatch(/disposed/)
  }
  expect(h.isolation.running()).toEqual([])
})
