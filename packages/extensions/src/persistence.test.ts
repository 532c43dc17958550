import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PepperpyPlugin, silentLogger, StateError, type StateStore, type StoredState } from '@pepperpy/plugin'
import { instantiatePlugin } from '@pepperpy/plugin/spi'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FileStateStore, stateFileName } from './persistence/file-state-store.js'
import { MemoryStateStore } from './persistence/memory-state-store.js'
import { persistentPlugin } from './persistence/persistent-plugin.js'

const dirs: string[] = []
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'pepperpy-state-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const Counter = persistentPlugin(
  class Counter extends PepperpyPlugin {
    counter = 0
    label = 'x'
    apiKey = ''
    async increment() {
      this.counter += 1
      return this.counter
    }
  },
  { finalSaveRetryMs: 300 },
)

const make = (store: StateStore, config: Record<string, unknown> = {}) =>
  instantiatePlugin(Counter, { type: 'stats', provider: 'counter', config, logger: silentLogger, context: { stateStore: store } })

describe('persistentPlugin', () => {
  it("keeps the seed's counter across restarts", async () => {
    const store = new FileStateStore({ dir: temp() })
    for (let run = 1; run <= 3; run++) {
      const c = make(store)
      await c.initialize()
      expect(await c.increment()).toBe(run)
      await c.cleanup()
    }
  })

  it('stores JSON without secrets, config keys or the initialized flag', async () => {
    const dir = temp()
    const store = new FileStateStore({ dir })
    const c = make(store, { label: 'from-config', api_key: 'sk-secret-123' })
    await c.initialize()
    await c.increment()
    await c.cleanup()
    const text = readFileSync(join(dir, stateFileName('stats/counter')), 'utf8')
    const saved = JSON.parse(text) as StoredState
    expect(saved.version).toBe(1)
    expect(saved.data).toEqual({ counter: 1 })
    expect(text).not.toContain('sk-secret-123')
    expect(text).not.toContain('initialized')
  })

  it('saves after a change without cleanup, within about a second', async () => {
    const store = new MemoryStateStore()
    const c = make(store)
    await c.initialize()
    await c.increment()
    // saved by the change poll (~250 ms); awaited, not timed, so a loaded machine cannot fail it
    await vi.waitFor(async () => expect((await store.load('stats/counter'))?.data).toEqual({ counter: 1, label: 'x' }), {
      timeout: 10_000,
      interval: 50,
    })
    await c.cleanup()
  })

  it('saves at most ~1 s after a change even while changes keep coming (max wait)', async () => {
    const store = new MemoryStateStore()
    const c = make(store)
    await c.initialize()
    // changes every 40 ms never leave 150 ms of quiet: only the max wait can save while they keep coming
    // (bounded by a generous deadline, not timed: a loaded machine only makes the loop slower)
    const t0 = Date.now()
    while (Date.now() - t0 < 20_000) {
      await c.increment()
      await sleep(40)
      if (await store.load('stats/counter')) break
    }
    const saved = await store.load('stats/counter')
    expect(saved).toBeDefined()
    await c.cleanup()
  })

  it('moves a corrupt file aside and starts from defaults', async () => {
    const dir = temp()
    const logs: string[] = []
    const store = new FileStateStore({ dir, logger: { ...silentLogger, warn: (m: string) => void logs.push(m) } })
    writeFileSync(join(dir, stateFileName('stats/counter')), '{"version": 1, "data": {"counter": 4')
    const c = make(store)
    await c.initialize()
    expect(c.counter).toBe(0)
    expect(readdirSync(dir).some((f) => f.startsWith('stats__counter.json.corrupt-'))).toBe(true)
    expect(logs[0]).toMatch(/corrupt; moved it to .*starting from defaults/)
    await c.cleanup()
  })

  it('migrates old state versions', async () => {
    const store = new MemoryStateStore()
    await store.save('stats/counter', { version: 1, data: { count: 41 } })
    const V2 = persistentPlugin(
      class extends PepperpyPlugin {
        counter = 0
      },
      { version: 2, migrate: (old) => ({ counter: old['count'] }) },
    )
    const c = instantiatePlugin(V2, { type: 'stats', provider: 'counter', logger: silentLogger, context: { stateStore: store } })
    await c.initialize()
    expect(c.counter).toBe(41)
    c.counter++
    await c.cleanup()
    expect(await store.load('stats/counter')).toMatchObject({ version: 2, data: { counter: 42 } })
  })

  it('keeps the last good state when a write fails (full disk)', async () => {
    const inner = new MemoryStateStore()
    let full = false
    const store: StateStore = {
      load: (k) => inner.load(k),
      delete: (k) => inner.delete(k),
      save: async (k, s) => {
        if (full) throw new Error('ENOSPC: no space left on device')
        await inner.save(k, s)
      },
    }
    const errors: string[] = []
    const c = instantiatePlugin(Counter, {
      type: 'stats',
      provider: 'counter',
      logger: { ...silentLogger, error: (m: string) => void errors.push(m) },
      context: { stateStore: store },
    })
    await c.initialize()
    await c.increment()
    await c.cleanup()
    full = true
    await c.initialize()
    await c.increment()
    await c.cleanup()
    expect((await inner.load('stats/counter'))?.data).toEqual({ counter: 1, label: 'x' })
    expect(errors.join('\n')).toContain('ENOSPC')
  })

  it('retries a failing save with backoff, logs it once, and recovers', async () => {
    const inner = new MemoryStateStore()
    let attempts = 0
    let full = true
    const store: StateStore = {
      load: (k) => inner.load(k),
      delete: (k) => inner.delete(k),
      save: async (k, s) => {
        attempts++
        if (full) throw new Error('ENOSPC: no space left on device')
        await inner.save(k, s)
      },
    }
    const errors: string[] = []
    const warnings: string[] = []
    const logger = { ...silentLogger, error: (m: string) => void errors.push(m), warn: (m: string) => void warnings.push(m) }
    const c = instantiatePlugin(Counter, { type: 'stats', provider: 'counter', logger, context: { stateStore: store } })
    await c.initialize()
    await c.increment()
    await sleep(1500) // polled every 100 ms: without backoff this would be ~12 attempts
    expect(attempts).toBeGreaterThanOrEqual(1)
    expect(attempts).toBeLessThanOrEqual(3)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/cannot save state of "stats\/counter".*ENOSPC.*previous state is kept/)
    full = false
    await c.cleanup() // the final save is always attempted
    expect((await inner.load('stats/counter'))?.data).toMatchObject({ counter: 1 })
    expect(warnings.join('\n')).toMatch(/saved again after \d+ failed attempt/)
  })

  it('a failing migration fails initialize() with a StateError and leaves the stored state alone', async () => {
    const store = new MemoryStateStore()
    await store.save('stats/counter', { version: 1, data: { count: 7 } })
    const V2 = persistentPlugin(
      class extends PepperpyPlugin {
        counter = 0
      },
      {
        version: 2,
        migrate: () => {
          throw new Error('bad shape')
        },
      },
    )
    const c = instantiatePlugin(V2, { type: 'stats', provider: 'counter', logger: silentLogger, context: { stateStore: store } })
    const error = await c.initialize().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(StateError.is(error) && (error as StateError).code).toBe('STATE_FAILED')
    expect(String((error as Error).message)).toMatch(/cannot migrate state of "stats\/counter" from version 1 to 2: bad shape/)
    await c.cleanup()
    expect(await store.load('stats/counter')).toMatchObject({ version: 1, data: { count: 7 } })
  })

  it('works as a TC39 class decorator (called as the runtime calls `@persistentPlugin`)', async () => {
    // vitest's transformer does not parse decorator syntax yet; this is exactly the call it compiles to
    const context = { kind: 'class', name: 'Decorated', addInitializer() {}, metadata: {} } as unknown as ClassDecoratorContext
    const Decorated = persistentPlugin(
      class Decorated extends PepperpyPlugin {
        hits = 0
      },
      context,
    )
    const WithOptions = persistentPlugin({ fields: ['hits'] })(
      class extends PepperpyPlugin {
        hits = 0
        other = 1
      },
      context,
    )
    expect(WithOptions.name).toBeDefined()
    const store = new MemoryStateStore()
    const a = instantiatePlugin(Decorated, { type: 'd', provider: 'x', logger: silentLogger, context: { stateStore: store } })
    await a.initialize()
    a.hits = 5
    await a.cleanup()
    const b = instantiatePlugin(Decorated, { type: 'd', provider: 'x', logger: silentLogger, context: { stateStore: store } })
    await b.initialize()
    expect(b.hits).toBe(5)
    await b.cleanup()
  })
})

describe('FileStateStore', () => {
  it('creates files 0600 in a folder 0700, and file names cannot escape the folder', async () => {
    const dir = join(temp(), 'state')
    const store = new FileStateStore({ dir })
    await store.save('../../etc/passwd', { version: 1, data: {} })
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    const files = readdirSync(dir)
    expect(files).toHaveLength(1)
    expect(statSync(join(dir, files[0]!)).mode & 0o777).toBe(0o600)
    expect(existsSync(join(dir, '..', 'etc'))).toBe(false)
  })

  const rounds = process.env['PEPPERPY_SOAK'] ? 200 : 20
  it(
    `never leaves a torn file when the writer is killed with SIGKILL (${rounds} rounds)`,
    async () => {
      const dir = temp()
      const script = join(import.meta.dirname, '__tests__', 'save-loop.ts')
      for (let round = 0; round < rounds; round++) {
        const child = spawn(process.execPath, ['--conditions=@pepperpy/source', '--import', 'tsx', script, dir], {
          stdio: ['ignore', 'pipe', 'inherit'],
        })
        let out = ''
        child.stdout.on('data', (c: Buffer) => (out += c))
        await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
        await sleep(Math.random() * 60)
        child.kill('SIGKILL')
        await new Promise((r) => child.once('exit', r))
        const printed = out.trim().split('\n').map(Number)
        const lastDone = printed.at(-1) ?? 0
        const saved = JSON.parse(readFileSync(join(dir, stateFileName('crash/test')), 'utf8')) as StoredState
        expect(saved.version).toBe(1)
        expect(saved.data['n']).toBeGreaterThanOrEqual(lastDone)
        expect(saved.data['n']).toBeLessThanOrEqual(lastDone + 1)
      }
      await new FileStateStore({ dir }).save('after/crash', { version: 1, data: {} })
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
    },
    Math.max(120_000, rounds * 5000),
  )
})
