// Issue #13 / DESIGN decision 24 — hot reload keeps watching and never hangs: new code whose
// initialize() hangs fails after initTimeoutMs and later saves still apply; a delete-and-recreate or
// a rename of the plugin folder (what `git checkout` does) is followed; a syntax error is reported
// as one, with its file and line. Real files, the real watcher, the public API.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { HotReloadHandle, PepperpyPlugin } from '@pepperpy/plugins'
import { cleanupAll, system, temp, write } from './helpers.js'

type Greeter = PepperpyPlugin & { greet(): Promise<string> }

const handles: HotReloadHandle[] = []
afterEach(async () => {
  for (const h of handles.splice(0)) await h.stop()
  await cleanupAll()
})

const MANIFEST = 'name: greeter\nversion: 1.0.0\ntype: greet\nprovider: hello\nentry_point: provider.mjs:Greeter\nhot_reload: true\n'
const code = (version: string, init = '') => `import { PepperpyPlugin } from '@pepperpy/plugin'
export class Greeter extends PepperpyPlugin {
  async initialize() { ${init} }
  async greet() { return '${version}' }
}
`

function pluginTree(version = 'v1'): { root: string; dir: string; file: string } {
  const root = temp('pepperpy-hot-rel-')
  const dir = join(root, 'greet', 'hello')
  write(join(dir, 'plugin.yaml'), MANIFEST)
  const file = write(join(dir, 'provider.mjs'), code(version))
  return { root, dir, file }
}

/** Resolves with the next event of `name` (rejects after `ms`, so a missing event fails the test with a message). */
function next<E extends 'reload' | 'error'>(
  h: HotReloadHandle,
  name: E,
  ms = 15_000,
): Promise<E extends 'error' ? { pluginId?: string; error: Error } : { pluginId: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${name}' event within ${ms} ms`)), ms)
    let done = false
    h.on(
      name as 'reload',
      ((e: never) => {
        if (done) return
        done = true
        clearTimeout(timer)
        resolve(e)
      }) as never,
    )
  })
}

async function start(root: string, options: Parameters<typeof system>[0] = {}) {
  const s = system({ paths: [root], ...options })
  const greeter = (await s.createProviderInstance('greet', 'hello')) as Greeter
  await greeter.initialize()
  const h = await s.startHotReload({ debounceMs: 30 })
  handles.push(h)
  await h.ready
  return { s, greeter, h }
}

describe('hot reload at the edges', () => {
  it('new code whose initialize() hangs fails after initTimeoutMs with an error event; the old code serves; a later fixed save applies; stop() returns', async () => {
    const { root, file } = pluginTree()
    const { greeter, h } = await start(root, { initTimeoutMs: 200 })
    const failed = next(h, 'error')
    writeFileSync(file, code('v2', 'await new Promise(() => {})'))
    const { error, pluginId } = await failed
    expect(pluginId).toBe('greet/hello')
    expect(error.message).toMatch(/did not finish initialize\(\) within 200 ms/)
    expect(await greeter.greet()).toBe('v1')
    const reloaded = next(h, 'reload')
    writeFileSync(file, code('v3'))
    await reloaded
    expect(await greeter.greet()).toBe('v3')
    await h.stop()
  })

  it('a syntax error is reported as a syntax error with its file and line; the old code keeps serving', async () => {
    const { root, file } = pluginTree()
    const { greeter, h } = await start(root)
    const failed = next(h, 'error')
    writeFileSync(
      file,
      "import { PepperpyPlugin } from '@pepperpy/plugin'\nexport class Greeter extends PepperpyPlugin {\n  async greet() { return 'v2' \n}\n}}\n",
    )
    const { error } = await failed
    expect(error.message).toMatch(/SyntaxError/)
    expect(error.message).toContain(`${file}:`)
    expect(error.message).not.toMatch(/no plugin class/)
    expect(await greeter.greet()).toBe('v1')
  })

  it('keeps watching after the plugin folder is deleted and recreated (git checkout); new instances get the newest code', async () => {
    const { root, dir } = pluginTree()
    const { s, greeter, h } = await start(root)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'plugin.yaml'), MANIFEST)
    const reloaded = next(h, 'reload')
    writeFileSync(join(dir, 'provider.mjs'), code('v2'))
    await reloaded
    expect(await greeter.greet()).toBe('v2')
    const reloadedAgain = next(h, 'reload')
    writeFileSync(join(dir, 'provider.mjs'), code('v3'))
    await reloadedAgain
    expect(await greeter.greet()).toBe('v3')
    const fresh = (await s.createProviderInstance('greet', 'hello')) as Greeter
    expect(await fresh.greet()).toBe('v3')
  })

  it('keeps watching after the plugin folder is renamed away and another one is renamed into its place', async () => {
    const { root, dir } = pluginTree()
    const { greeter, h } = await start(root)
    const staged = join(root, 'staged')
    write(join(staged, 'plugin.yaml'), MANIFEST)
    write(join(staged, 'provider.mjs'), code('v2'))
    const reloaded = next(h, 'reload')
    renameSync(dir, join(root, 'old'))
    renameSync(staged, dir)
    await reloaded
    expect(await greeter.greet()).toBe('v2')
    const again = next(h, 'reload')
    writeFileSync(join(dir, 'provider.mjs'), code('v3'))
    await again
    expect(await greeter.greet()).toBe('v3')
  })
})
