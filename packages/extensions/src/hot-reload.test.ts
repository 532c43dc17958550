import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as contract from '@pepperpy/plugin'
import { instantiatePlugin, silentLogger, type HotReloadHost, type LiveInstance, type PepperpyPlugin, type PluginClass } from '@pepperpy/plugin'
import { createJiti } from 'jiti'
import { afterEach, describe, expect, it } from 'vitest'
import { createReloadableHandle } from './hot-reload/handle.js'
import { hotReloadablePlugin } from './hot-reload/mark.js'
import { startHotReload, type HotReloadHandle } from './hot-reload/start-hot-reload.js'

const source = (version: string, init = '') => `import { PepperpyPlugin } from '@pepperpy/plugin'
export class Greeter extends PepperpyPlugin {
  calls = 0
  greeting = 'hi'
  override async initialize() { ${init} }
  async greet(name: string) { this.calls++; return \`${version} \${this.greeting} \${name} #\${this.calls}\` }
  async slow() { await new Promise((r) => setTimeout(r, 300)); return '${version} slow done' }
}
`

/** A minimal host over real files and a fresh jiti loader (what @pepperpy/plugins wires for real). */
function testHost(dir: string, file: string) {
  const loader = {
    load: (f: string, o?: { fresh?: boolean }) =>
      createJiti(import.meta.url, { moduleCache: !o?.fresh, fsCache: false, interopDefault: false, virtualModules: { '@pepperpy/plugin': contract } }).import<Record<string, unknown>>(f),
  }
  const lives: LiveInstance[] = []
  let Class: PluginClass | undefined
  const host: HotReloadHost = {
    loader,
    logger: silentLogger,
    targets: () => [{ type: 'greeter', provider: 'hello', dir, entryFile: file, exportName: 'Greeter' }],
    replaceClass: (_t, _p, C) => void (Class = C),
    liveInstances: () => lives,
  }
  const create = async (config: Record<string, unknown>) => {
    const ns = await loader.load(file)
    Class = ns['Greeter'] as PluginClass
    const init = { type: 'greeter', provider: 'hello', config, logger: silentLogger }
    const handle = createReloadableHandle<PepperpyPlugin>(instantiatePlugin(Class, init))
    lives.push({ get current() { return handle.current }, recreate: (C) => instantiatePlugin(C, init), swap: (next) => handle.swap(next) })
    return handle.proxy as PepperpyPlugin & { greet(n: string): Promise<string>; slow(): Promise<string>; calls: number; greeting: string }
  }
  return { host, create, currentClass: () => Class }
}

const next = (h: HotReloadHandle, event: 'reload' | 'error') =>
  new Promise<{ pluginId?: string; error?: Error }>((resolve) => h.on(event as 'error', resolve as never))

let cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn()
  cleanup = []
})

describe('hot reload', () => {
  it('swaps a live instance: new code, same config, state carried, in-flight call finishes on the old code; bad code keeps the old', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pepperpy-hot-'))
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'provider.ts')
    writeFileSync(file, source('v1'))
    const { host, create } = testHost(dir, file)
    const greeter = await create({ greeting: 'hello' })
    await greeter.initialize()
    const watcher = await startHotReload({ host, debounceMs: 30 })
    cleanup.push(() => watcher.stop())
    await watcher.ready
    expect(await greeter.greet('ada')).toBe('v1 hello ada #1')

    const inflight = greeter.slow()
    const reloaded = next(watcher, 'reload')
    writeFileSync(file, source('v2'))
    expect((await reloaded).pluginId).toBe('greeter/hello')
    expect(await inflight).toBe('v1 slow done')
    expect(await greeter.greet('ada')).toBe('v2 hello ada #2')
    expect(greeter.initialized).toBe(true)

    const failed = next(watcher, 'error')
    writeFileSync(file, 'export class Greeter extends {{{')
    expect((await failed).error?.message).toMatch(/cannot load the new code of greeter\/hello.*the old code keeps serving/)
    expect(await greeter.greet('ada')).toBe('v2 hello ada #3')

    const initFails = next(watcher, 'error')
    writeFileSync(file, source('v3', "throw new Error('db down')"))
    expect((await initFails).error?.message).toMatch(/failed to initialize \(db down\); the old instance keeps serving/)
    expect(await greeter.greet('ada')).toBe('v2 hello ada #4')
  })

  it('stop() ends the watch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pepperpy-hot-'))
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'provider.ts')
    writeFileSync(file, source('v1'))
    const { host, create } = testHost(dir, file)
    const greeter = await create({})
    const watcher = await startHotReload({ host, debounceMs: 20 })
    await watcher.ready
    let reloads = 0
    watcher.on('reload', () => void reloads++)
    await watcher.stop()
    writeFileSync(file, source('v2'))
    await new Promise((r) => setTimeout(r, 400))
    expect(reloads).toBe(0)
    expect(await greeter.greet('x')).toBe('v1 hi x #1')
    expect(readFileSync(file, 'utf8')).toContain('v2')
  })

  it('hotReloadablePlugin records the defining module', () => {
    const Marked = hotReloadablePlugin(class Marked extends contract.PepperpyPlugin {})
    expect(contract.hotReloadableMark(Marked)).toEqual({ exportName: 'Marked', file: import.meta.filename })
  })

  it('without a host, explains what to do', async () => {
    await expect(startHotReload()).rejects.toThrow(/use startHotReload from @pepperpy\/plugins, or pass \{ host \}/)
  })
})
