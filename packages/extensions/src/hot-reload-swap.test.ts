import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PepperpyPlugin } from '@pepperpy/plugin'
import type { HotReloadHost } from '@pepperpy/plugin/spi'
import { afterEach, describe, expect, it } from 'vitest'
import { nextEvent, testHost } from './__tests__/test-host.js'
import { startHotReload, type HotReloadHandle } from './hot-reload/start-hot-reload.js'
import { FileStateStore, stateFileName } from './persistence/file-state-store.js'

type Greeter = PepperpyPlugin & { greet(): Promise<string>; slow(): Promise<string>; calls: number }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const persistent = (v: string) => `import { PepperpyPlugin } from '@pepperpy/plugin'
import { persistentPlugin } from '@pepperpy/extensions'
export const Greeter = persistentPlugin(class Greeter extends PepperpyPlugin {
  calls = 0
  apiKey = ''
  async greet() { this.calls++; return '${v} #' + this.calls }
  async slow() { await new Promise((r) => setTimeout(r, 300)); this.calls += 100; return '${v} slow' }
})
`
const plain = (v: string, name = 'Greeter') => `import { PepperpyPlugin } from '@pepperpy/plugin'
export class ${name} extends PepperpyPlugin {
  calls = 0
  async greet() { this.calls++; return '${v} #' + this.calls }
}
`

let dir = ''
let file = ''
const watchers: HotReloadHandle[] = []
const temps: string[] = []
const setup = (source: string) => {
  dir = mkdtempSync(join(tmpdir(), 'pepperpy-swap-'))
  file = join(dir, 'provider.ts')
  writeFileSync(file, source)
}
const watch = async (host: HotReloadHost) => {
  const w = await startHotReload({ host, debounceMs: 30 })
  watchers.push(w)
  await w.ready
  return w
}
afterEach(async () => {
  for (const w of watchers.splice(0)) await w.stop()
  for (const d of [dir, ...temps.splice(0)]) rmSync(d, { recursive: true, force: true })
})

describe('hot reload swaps', () => {
  it('a persistent plugin: state carried, a late change by an in-flight call kept, secrets never stored, the file ends with the new instance state', async () => {
    setup(persistent('v1'))
    const stateDir = mkdtempSync(join(tmpdir(), 'pepperpy-swap-state-'))
    temps.push(stateDir)
    const { host, create } = testHost(dir, file, { context: { stateStore: new FileStateStore({ dir: stateDir }) } })
    const g = await create<Greeter>({ api_key: 'sk-live-123' })
    await g.initialize()
    expect(await g.greet()).toBe('v1 #1')
    const watcher = await watch(host)
    const inflight = g.slow()
    const reloaded = nextEvent(watcher, 'reload')
    writeFileSync(file, persistent('v2'))
    await reloaded
    expect(await inflight).toBe('v1 slow') // finished on the old code
    await watcher.stop() // waits until the old instance is drained and cleaned up
    expect(await g.greet()).toBe('v2 #102') // 1 carried + 100 added late by the old instance + 1
    await g.cleanup()
    const text = readFileSync(join(stateDir, stateFileName('greeter/hello')), 'utf8')
    expect(JSON.parse(text)).toMatchObject({ version: 1, data: { calls: 102 } })
    expect(text).not.toContain('sk-live-123')
    expect(text).not.toContain('initialized')
  })

  it('finds a renamed class when it is the only plugin class; names the candidates when it is ambiguous', async () => {
    setup(plain('v1'))
    const { host, create } = testHost(dir, file)
    const g = await create<Greeter>()
    await g.initialize()
    const watcher = await watch(host)
    const reloaded = nextEvent(watcher, 'reload')
    writeFileSync(file, plain('v2', 'RenamedGreeter'))
    await reloaded
    expect(await g.greet()).toBe('v2 #1')
    const failed = nextEvent(watcher, 'error')
    writeFileSync(file, `${plain('v3', 'A')}\nexport class B extends PepperpyPlugin {}\n`)
    expect((await failed).error?.message).toMatch(
      /no plugin class "Greeter" .*\(plugin classes exported: A, B\); the old code keeps serving/,
    )
    expect(await g.greet()).toBe('v2 #2')
  })

  it('a failing initialize() registers nothing: the host keeps the old class', async () => {
    setup(plain('v1'))
    const { host, create, registered } = testHost(dir, file)
    const g = await create<Greeter>()
    await g.initialize()
    const before = registered()
    const watcher = await watch(host)
    const failed = nextEvent(watcher, 'error')
    writeFileSync(file, plain('v2').replace('calls = 0', "calls = 0\n  override async initialize() { throw new Error('no db') }"))
    expect((await failed).error?.message).toMatch(/failed to initialize \(no db\)/)
    expect(registered()).toBe(before)
    expect(await g.greet()).toBe('v1 #1')
  })

  it('ignores dotfiles, temp files and node_modules; a throwing listener does not stop later reloads', async () => {
    setup(plain('v1'))
    const { host, create } = testHost(dir, file)
    const g = await create<Greeter>()
    const watcher = await watch(host)
    let reloads = 0
    watcher.on('reload', () => {
      throw new Error('listener bug')
    })
    watcher.on('reload', () => void reloads++)
    mkdirSync(join(dir, 'node_modules'))
    writeFileSync(join(dir, 'node_modules', 'dep.js'), 'export {}')
    writeFileSync(join(dir, '.provider.ts.swp'), 'x')
    writeFileSync(join(dir, 'provider.ts.tmp'), 'x')
    writeFileSync(join(dir, 'provider.ts~'), 'x')
    await sleep(500)
    expect(reloads).toBe(0)
    for (const v of ['v2', 'v3']) {
      const reloaded = nextEvent(watcher, 'reload')
      writeFileSync(file, plain(v))
      await reloaded
    }
    expect(reloads).toBe(2)
    expect(await g.greet()).toBe('v3 #1')
  })

  it('watches plugins that become hot-reloadable after it started', async () => {
    setup(plain('v1'))
    const { host, create, reveal } = testHost(dir, file, { hidden: true })
    const g = await create<Greeter>()
    const watcher = await watch(host)
    reveal()
    await sleep(1500) // the watched folders are compared with the host's targets every second
    const reloaded = nextEvent(watcher, 'reload')
    writeFileSync(file, plain('v2'))
    expect((await reloaded).pluginId).toBe('greeter/hello')
    expect(await g.greet()).toBe('v2 #1')
  })
})

// Soak only (PEPPERPY_SOAK=1; defined only then, so a normal run neither runs nor skips it): heap the
// reloader keeps per reload of a module with a 200 KB payload, measured in a child process with
// --expose-gc (see __tests__/reload-memory.ts for the loader used).
if (process.env['PEPPERPY_SOAK'])
  describe('hot reload memory (soak)', () => {
    it('keeps at most ~5 KB of heap per reload over 500 reloads', async () => {
      const { execFileSync } = await import('node:child_process')
      const script = join(import.meta.dirname, '__tests__', 'reload-memory.ts')
      const out = execFileSync(process.execPath, ['--expose-gc', '--conditions=@pepperpy/source', '--import', 'tsx', script, '500'], {
        encoding: 'utf8',
      })
      const { keptPerReloadBytes } = JSON.parse(out.trim().split('\n').at(-1)!) as { keptPerReloadBytes: number }
      expect(keptPerReloadBytes).toBeLessThanOrEqual(5 * 1024)
    }, 300_000)
  })
