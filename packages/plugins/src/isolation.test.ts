import { mkdirSync, mkdtempSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { createPluginSystem, isolationReport, MemoryStateStore, PepperpyPlugin, type PluginSystem } from './index.js'

const dirs: string[] = []
const systems: PluginSystem[] = []
afterEach(async () => {
  for (const s of systems.splice(0)) await s.dispose()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const silent = { debug() {}, info() {}, warn() {}, error() {} }

function root(plugins: Record<string, { manifest: string; source: string }>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'pepperpy-iso-umbrella-')))
  dirs.push(dir)
  for (const [id, p] of Object.entries(plugins)) {
    const folder = join(dir, ...id.split('/'))
    mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, 'plugin.yaml'), p.manifest)
    writeFileSync(join(folder, 'provider.ts'), p.source)
  }
  return dir
}

function system(paths: string[], options: Parameters<typeof createPluginSystem>[0] = {}): PluginSystem {
  const s = createPluginSystem({ paths, defaultPaths: false, env: {}, stateStore: new MemoryStateStore(), logger: silent, ...options })
  systems.push(s)
  return s
}

const LLM = (version: number) => `import { PepperpyPlugin } from '@pepperpy/plugin'
;(globalThis as Record<string, unknown>).__loadedLlm = true
export default class Local extends PepperpyPlugin {
  model = 'tiny'
  async complete(prompt: string) {
    const { isMainThread } = await import('node:worker_threads')
    return { text: 'v${version} ' + this.model + ': ' + prompt, isMainThread }
  }
  async version() { return ${version} }
}
`
const RAG = `import { PepperpyPlugin } from '@pepperpy/plugin'
export default class Rag extends PepperpyPlugin {
  async ask(q: string) {
    const llm = this.getDependency<{ complete(p: string): Promise<{ text: string }> }>('llm')
    return 'rag(' + (await llm!.complete(q)).text + ')'
  }
}
`

test('a plugin with isolation: worker runs in a worker; its code never loads in the host; dispose stops it', async () => {
  const dir = root({ 'llm/local': { manifest: 'name: local\nentry_point: provider.ts\nisolation: worker\n', source: LLM(1) } })
  const s = system([dir])
  const llm = (await s.createProviderInstance('llm', 'local', { model: 'small' })) as PepperpyPlugin & {
    complete(p: string): Promise<{ text: string; isMainThread: boolean }>
  }
  expect(llm).toBeInstanceOf(PepperpyPlugin)
  expect(llm.pluginId).toBe('llm/local')
  await llm.initialize()
  expect(await llm.complete('hi')).toEqual({ text: 'v1 small: hi', isMainThread: false })
  expect(llm.config).toMatchObject({ model: 'small' })
  expect((globalThis as Record<string, unknown>)['__loadedLlm']).toBeUndefined()
  expect(isolationReport(s.listPlugins()[0]!)).toMatchObject({
    mode: 'worker',
    permissions: { fsRead: [join(dir, 'llm', 'local')], fsWrite: [], childProcess: false, worker: false },
  })
  await s.dispose()
  expect(s.manager.getInstance('llm', 'local')).toBeUndefined()
})

test('createPluginSystem({ isolation }) is the default for entry points; a manifest’s own isolation: none wins; registered classes stay in-process', async () => {
  const dir = root({
    'llm/local': { manifest: 'entry_point: provider.ts\n', source: LLM(1) },
    'llm/inproc': { manifest: 'entry_point: provider.ts\nisolation: none\n', source: LLM(2) },
  })
  const s = system([dir], { isolation: 'process' })
  const isolated = (await s.createProviderInstance('llm', 'local')) as PepperpyPlugin & {
    complete(p: string): Promise<{ isMainThread: boolean }>
  }
  await isolated.initialize()
  expect((await isolated.complete('x')).isMainThread).toBe(true)
  expect(s.registry.list().map((p) => [p.provider, isolationReport(p, 'process').mode])).toEqual([
    ['inproc', 'none'],
    ['local', 'process'],
  ])
  const inproc = await s.createProviderInstance('llm', 'inproc')
  expect((globalThis as Record<string, unknown>)['__loadedLlm']).toBe(true)
  delete (globalThis as Record<string, unknown>)['__loadedLlm']
  expect(inproc.constructor.name).toBe('Local')
  class Reg extends PepperpyPlugin {
    async where() {
      return (await import('node:worker_threads')).isMainThread
    }
  }
  s.registerPlugin('llm', 'reg', Reg)
  const reg = (await s.createProviderInstance('llm', 'reg')) as Reg
  expect(reg).toBeInstanceOf(Reg)
})

test('dependencies cross both ways through the manager: an isolated rag uses an in-process llm, an in-process app uses the isolated rag', async () => {
  const dir = root({
    'llm/local': { manifest: 'entry_point: provider.ts\n', source: LLM(3) },
    'rag/iso': {
      manifest: 'entry_point: provider.ts\nisolation: worker\ndependencies:\n  - type: llm\n    provider: local\n',
      source: RAG,
    },
  })
  const s = system([dir])
  class App extends PepperpyPlugin {
    static override dependencies = [{ type: 'rag', provider: 'iso' }]
    run(q: string) {
      return this.getDependency<{ ask(q: string): Promise<string> }>('rag')!.ask(q)
    }
  }
  s.registerPlugin('app', 'main', App)
  const app = (await s.manager.createInstance('app', 'main')) as App
  await s.manager.initialize()
  expect(await app.run('why')).toBe('rag(v3 tiny: why)')
  delete (globalThis as Record<string, unknown>)['__loadedLlm']
})

test('hot reload of an isolated plugin: a new instance gets the new code, a restarted one too, and the host never imports it', async () => {
  const dir = root({ 'llm/local': { manifest: 'entry_point: provider.ts\nisolation: worker\nhot_reload: true\n', source: LLM(1) } })
  const s = system([dir])
  const handle = await s.startHotReload()
  await handle.ready
  const first = (await s.createProviderInstance('llm', 'local')) as PepperpyPlugin & { version(): Promise<number> }
  await first.initialize()
  expect(await first.version()).toBe(1)
  const file = join(dir, 'llm', 'local', 'provider.ts')
  writeFileSync(file, LLM(2).replace('async version()', 'async extra() { return "new method" }\n  async version()'))
  const later = new Date(Date.now() + 2000)
  utimesSync(file, later, later)
  const second = (await s.createProviderInstance('llm', 'local')) as PepperpyPlugin & {
    version(): Promise<number>
    extra(): Promise<string>
  }
  await second.initialize()
  expect(await second.version()).toBe(2)
  expect(await second.extra()).toBe('new method')
  await first.cleanup()
  await first.initialize()
  expect(await first.version()).toBe(2)
  expect((globalThis as Record<string, unknown>)['__loadedLlm']).toBeUndefined()
  await handle.stop()
})
