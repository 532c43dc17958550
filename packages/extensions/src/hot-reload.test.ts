import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as contract from '@pepperpy/plugin'
import type { PepperpyPlugin } from '@pepperpy/plugin'
import { afterEach, describe, expect, it } from 'vitest'
import { nextEvent as next, testHost } from './__tests__/test-host.js'
import { hotReloadablePlugin } from './hot-reload/mark.js'
import { startHotReload } from './hot-reload/start-hot-reload.js'

type Greeter = PepperpyPlugin & { greet(n: string): Promise<string>; slow(): Promise<string>; calls: number; greeting: string }

const source = (version: string, init = '') => `import { PepperpyPlugin } from '@pepperpy/plugin'
export class Greeter extends PepperpyPlugin {
  calls = 0
  greeting = 'hi'
  override async initialize() { ${init} }
  async greet(name: string) { this.calls++; return \`${version} \${this.greeting} \${name} #\${this.calls}\` }
  async slow() { await new Promise((r) => setTimeout(r, 300)); return '${version} slow done' }
}
`

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
    const greeter = await create<Greeter>({ greeting: 'hello' })
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
    const greeter = await create<Greeter>({})
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
