// DESIGN decision 23: state is never lost (failing loads, unserializable values, failing saves,
// exit without dispose(), the per-application folder).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PepperpyPlugin, StateError, type StateStore } from '@pepperpy/plugin'
import { instantiatePlugin } from '@pepperpy/plugin/spi'
import { afterEach, describe, expect, it } from 'vitest'
import { capture, removeTemps, runScript, tempDir } from './__tests__/fleet-helpers.js'
import { defaultStateDir } from './persistence/app-state-dir.js'
import { FileStateStore } from './persistence/file-state-store.js'
import { MemoryStateStore } from './persistence/memory-state-store.js'
import { flushState, persistentPlugin } from './persistence/persistent-plugin.js'

afterEach(removeTemps)

const Invoices = persistentPlugin(
  class Invoices extends PepperpyPlugin {
    invoices: number[] = []
  },
)

const failingLoads = (inner: StateStore, code: string) => {
  let fail = true
  const store: StateStore & { toString(): string } = {
    load: async (k) => {
      if (fail) throw Object.assign(new Error(`${code}: simulated failure, read '${k}'`), { code })
      return inner.load(k)
    },
    save: (k, s, o) => inner.save(k, s, o),
    delete: (k) => inner.delete(k),
    toString: () => 'FlakyStore(test)',
  }
  return { store, heal: () => void (fail = false) }
}

describe('a state load that fails (decision 23)', () => {
  for (const code of ['EMFILE', 'EIO', 'EACCES']) {
    it(`${code}: initialize() fails with a StateError naming the plugin and the store; 1,000 saved invoices stay 1,000`, async () => {
      const file = new FileStateStore({ dir: tempDir() })
      await file.save('billing/invoices', { version: 1, data: { invoices: Array.from({ length: 1000 }, (_, i) => i) } })
      const { store, heal } = failingLoads(file, code)
      const a = instantiatePlugin(Invoices, { type: 'billing', provider: 'invoices', logger: capture(), context: { stateStore: store } })
      const error = await a.initialize().then(
        () => undefined,
        (e: unknown) => e as StateError,
      )
      expect(StateError.is(error)).toBe(true)
      expect(error?.pluginId).toBe('billing/invoices')
      expect(error?.message).toMatch(new RegExp(`cannot load state of "billing/invoices" from FlakyStore\\(test\\): ${code}`))
      expect((error?.cause as NodeJS.ErrnoException | undefined)?.code).toBe(code)
      expect(a.initialized).toBe(false)
      a.invoices.push(1) // the user keeps going; nothing may be saved over the good state
      await a.cleanup()
      expect((await file.load('billing/invoices'))?.data['invoices']).toHaveLength(1000)
      heal()
      const b = instantiatePlugin(Invoices, { type: 'billing', provider: 'invoices', logger: capture(), context: { stateStore: store } })
      await b.initialize()
      expect(b.invoices).toHaveLength(1000)
      b.invoices.push(1000)
      await b.cleanup()
      expect((await file.load('billing/invoices'))?.data['invoices']).toHaveLength(1001)
    })
  }

  it('a real unreadable state file (a folder in its place) fails initialize() too, naming the file', async () => {
    const dir = tempDir()
    const store = new FileStateStore({ dir })
    await store.save('billing/invoices', { version: 1, data: { invoices: [1] } })
    const { mkdirSync, renameSync } = await import('node:fs')
    renameSync(store.fileFor('billing/invoices'), join(dir, 'moved.json'))
    mkdirSync(store.fileFor('billing/invoices'))
    const a = instantiatePlugin(Invoices, { type: 'billing', provider: 'invoices', logger: capture(), context: { stateStore: store } })
    await expect(a.initialize()).rejects.toThrow(/cannot load state of "billing\/invoices" from FileStateStore.*not a regular file/)
  })
})

describe('state that cannot be serialized (decision 23)', () => {
  const Weird = persistentPlugin(
    class Weird extends PepperpyPlugin {
      count = 0
      payload: unknown = { ok: true }
    },
    { debounceMs: 10, maxWaitMs: 50, pollMs: 10 },
  )
  const cases: [string, () => unknown][] = [
    [
      'circular',
      () => {
        const o: Record<string, unknown> = {}
        o['self'] = o
        return o
      },
    ],
    ['BigInt', () => ({ big: 10n })],
    [
      'a throwing getter',
      () => ({
        get boom() {
          throw new Error('getter exploded')
        },
      }),
    ],
  ]
  for (const [what, make] of cases) {
    it(`${what}: reported with the plugin and the field; the host and the other fields keep going; the last saved value stays`, async () => {
      const store = new MemoryStateStore()
      const logger = capture()
      const w = instantiatePlugin(Weird, { type: 'odd', provider: 'weird', logger, context: { stateStore: store } })
      await w.initialize()
      w.count = 1
      await flushState(w)
      w.payload = make()
      w.count = 2
      const uncaught: unknown[] = []
      const onUncaught = (e: unknown) => void uncaught.push(e)
      process.on('uncaughtException', onUncaught)
      try {
        await new Promise((r) => setTimeout(r, 200)) // the real poller runs ~20 times
        await flushState(w)
      } finally {
        process.off('uncaughtException', onUncaught)
      }
      expect(uncaught).toEqual([])
      expect(logger.lines.error.filter((l) => l.includes('"payload"'))).toHaveLength(1)
      expect(logger.lines.error[0]).toMatch(/state field "payload" of "odd\/weird" cannot be saved .*last saved value is kept/)
      expect((await store.load('odd/weird'))?.data).toEqual({ count: 2, payload: { ok: true } })
      w.payload = { fixed: true }
      await w.cleanup()
      expect((await store.load('odd/weird'))?.data).toEqual({ count: 2, payload: { fixed: true } })
      expect(logger.lines.warn.join('\n')).toMatch(/"payload" of "odd\/weird" can be saved again/)
    })
  }
})

describe('a full or read-only disk on save', () => {
  it('is reported, retried, and the pending state is written once the disk is back', async () => {
    const inner = new MemoryStateStore()
    let failing: string | undefined = 'EROFS: read-only file system'
    const store: StateStore = {
      load: (k) => inner.load(k),
      delete: (k) => inner.delete(k),
      save: async (k, s, o) => {
        if (failing) throw new Error(failing)
        await inner.save(k, s, o)
      },
    }
    const logger = capture()
    const c = instantiatePlugin(Invoices, { type: 'billing', provider: 'invoices', logger, context: { stateStore: store } })
    await c.initialize()
    c.invoices.push(1, 2, 3)
    await flushState(c)
    expect(logger.lines.error.join('\n')).toMatch(/cannot save state of "billing\/invoices".*EROFS.*retried/)
    failing = 'ENOSPC: no space left on device'
    await flushState(c)
    expect(await inner.load('billing/invoices')).toBeUndefined()
    failing = undefined
    await c.cleanup()
    expect((await inner.load('billing/invoices'))?.data).toEqual({ invoices: [1, 2, 3] })
  })
})

describe('the default folder and the exit flush (decision 23)', () => {
  it('pending saves are written when the process exits normally without dispose(), in the per-app folder', async () => {
    const home = tempDir()
    const run = await runScript(join(import.meta.dirname, '__tests__', 'exit-flush-worker.ts'), ['first', 'second'], {
      HOME: home,
      PEPPERPY_STATE_DIR: '',
    })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    // the worker's nearest package.json is @pepperpy/extensions
    const file = join(home, '.pepperpy', 'state', 'pepperpy+extensions', 'exit__notes.json')
    expect(existsSync(file)).toBe(true)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, revision: 1, data: { notes: ['first', 'second'] } })
  }, 60_000)

  it('the folder is per application: PEPPERPY_STATE_DIR wins, else the package name, else the script path', () => {
    const argv1 = process.argv[1]
    try {
      expect(defaultStateDir({ PEPPERPY_STATE_DIR: '/srv/state' })).toBe('/srv/state')
      process.argv[1] = join(import.meta.dirname, 'persistence', 'x.js')
      expect(defaultStateDir({})).toMatch(/[/\\]\.pepperpy[/\\]state[/\\]pepperpy\+extensions$/)
      process.argv[1] = '/nowhere/at/all/tool.js'
      const a = defaultStateDir({})
      process.argv[1] = '/elsewhere/tool.js'
      const b = defaultStateDir({})
      expect(a).toMatch(/script-tool\.js-[0-9a-f]{8}$/)
      expect(a).not.toBe(b)
    } finally {
      process.argv[1] = argv1!
    }
  })
})
