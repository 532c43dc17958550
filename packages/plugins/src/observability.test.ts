import { tracingChannel } from 'node:diagnostics_channel'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  channels,
  createPluginSystem,
  MemoryStateStore,
  PepperpyPlugin,
  persistentPlugin,
  silentLogger,
  type PluginSystem,
} from './index.js'

/** One channel event: `<channel suffix> <event> <pluginId>` plus the context as it was then. */
interface Seen {
  line: string
  ctx: Record<string, unknown>
}

const EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const
const stops: Array<() => void> = []
const dirs: string[] = []
const systems: PluginSystem[] = []

/** Subscribes to every event of every pepperpy channel. */
function subscribeAll(): Seen[] {
  const seen: Seen[] = []
  for (const name of Object.values(channels)) {
    const ch = tracingChannel(name)
    const handlers = Object.fromEntries(
      EVENTS.map((e) => [
        e,
        (ctx: Record<string, unknown>) => seen.push({ line: `${name.slice('pepperpy:'.length)} ${e} ${ctx['pluginId']}`, ctx: { ...ctx } }),
      ]),
    )
    ch.subscribe(handlers as never)
    stops.push(() => ch.unsubscribe(handlers as never))
  }
  return seen
}

afterEach(async () => {
  for (const s of stops.splice(0)) s()
  for (const s of systems.splice(0)) await s.dispose().catch(() => {})
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function write(root: string, rel: string, text: string): string {
  const file = join(root, rel)
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, text)
  return file
}

/** A plugin root with db/pg, rag/chroma (requires db/pg) and bad/x (fails to initialize). */
function pluginRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'pepperpy-obs-'))
  dirs.push(root)
  const plugin = (name: string, body = '') =>
    `import { PepperpyPlugin } from '@pepperpy/plugins'\nexport class ${name} extends PepperpyPlugin {\n${body}\n}\n`
  write(root, 'db/pg/plugin.yaml', 'entry_point: p.ts:Db\n')
  write(root, 'db/pg/p.ts', plugin('Db'))
  write(root, 'rag/chroma/plugin.yaml', 'entry_point: p.ts:Rag\ndependencies:\n  - db/pg\n')
  write(root, 'rag/chroma/p.ts', plugin('Rag'))
  write(root, 'bad/x/plugin.yaml', 'entry_point: p.ts:Bad\nboot_failure: continue\n')
  write(root, 'bad/x/p.ts', plugin('Bad', "  override async initialize() { throw new Error('no route to host') }"))
  return root
}

function system(options: Parameters<typeof createPluginSystem>[0] = {}): PluginSystem {
  const s = createPluginSystem({ defaultPaths: false, env: {}, stateStore: new MemoryStateStore(), logger: silentLogger, ...options })
  systems.push(s)
  return s
}

const lines = (seen: Seen[], prefix: string): string[] => seen.map((s) => s.line).filter((l) => l.startsWith(prefix))
const at = (seen: Seen[], line: string): number => {
  const i = seen.findIndex((s) => s.line === line)
  expect(i, line).toBeGreaterThanOrEqual(0)
  return i
}

describe('diagnostics channels', () => {
  it('a discovery and a real boot: one discover trace per manifest, then create, load and initialize in dependency order', async () => {
    const root = pluginRoot()
    const s = system({ paths: [root] })
    const seen = subscribeAll()
    await s.discoverPlugins()
    // synchronous, one per manifest; the id is known once the manifest is parsed
    expect(lines(seen, 'discover').sort()).toEqual(
      ['bad/x', 'db/pg', 'rag/chroma'].flatMap((id) => [`discover end ${id}`, 'discover start ']).sort(),
    )
    const discovered = seen.filter((e) => e.line === 'discover end db/pg')[0]!.ctx
    expect(discovered).toMatchObject({ pluginId: 'db/pg', type: 'db', provider: 'pg', file: join(root, 'db/pg/plugin.yaml') })

    seen.length = 0
    await s.manager.createInstance('rag', 'chroma')
    await s.manager.initialize()
    const boot = seen.map((e) => e.line)
    expect(boot.filter((l) => l.includes(' start '))).toEqual([
      'create start rag/chroma',
      'load start rag/chroma',
      'create start db/pg',
      'load start db/pg',
      'initialize start db/pg',
      'initialize start rag/chroma',
    ])
    for (const op of ['create', 'load', 'initialize'])
      for (const id of ['rag/chroma', 'db/pg'])
        expect(lines(seen, `${op} `).filter((l) => l.endsWith(` ${id}`))).toEqual([
          `${op} start ${id}`,
          `${op} end ${id}`,
          `${op} asyncStart ${id}`,
          `${op} asyncEnd ${id}`,
        ])
    // loading rag's entry module happens inside its creation; db is initialized before rag starts
    expect(at(seen, 'load asyncEnd rag/chroma')).toBeLessThan(at(seen, 'create asyncEnd rag/chroma'))
    expect(at(seen, 'initialize asyncEnd db/pg')).toBeLessThan(at(seen, 'initialize start rag/chroma'))
    expect(seen.find((e) => e.line === 'load start db/pg')!.ctx).toEqual({
      pluginId: 'db/pg',
      type: 'db',
      provider: 'pg',
      file: join(root, 'db/pg/p.ts'),
    })
    expect(seen.find((e) => e.line === 'initialize start rag/chroma')!.ctx).toEqual({
      pluginId: 'rag/chroma',
      type: 'rag',
      provider: 'chroma',
    })
    expect(seen.find((e) => e.line === 'create asyncEnd rag/chroma')!.ctx['result']).toBe(s.manager.getInstance('rag', 'chroma'))

    // cleanup: dependents first, each traced once; nothing else is published
    seen.length = 0
    await s.manager.cleanup()
    expect(seen.map((e) => e.line)).toEqual([
      'cleanup start rag/chroma',
      'cleanup end rag/chroma',
      'cleanup asyncStart rag/chroma',
      'cleanup asyncEnd rag/chroma',
      'cleanup start db/pg',
      'cleanup end db/pg',
      'cleanup asyncStart db/pg',
      'cleanup asyncEnd db/pg',
    ])
  })

  it('a failed initialize publishes error with the failure; a cleanup does not trace the failed plugin', async () => {
    const s = system({ paths: [pluginRoot()] })
    await s.manager.createInstance('bad', 'x')
    await s.manager.createInstance('db', 'pg')
    const seen = subscribeAll()
    await s.manager.initialize() // bad/x says boot_failure: continue
    expect(lines(seen, 'initialize').filter((l) => l.endsWith('bad/x'))).toEqual([
      'initialize start bad/x',
      'initialize end bad/x',
      'initialize error bad/x',
      'initialize asyncStart bad/x',
      'initialize asyncEnd bad/x',
    ])
    const error = seen.find((e) => e.line === 'initialize error bad/x')!.ctx['error'] as Error
    expect(error.message).toContain('no route to host')
    expect(s.manager.health().plugins.find((p) => p.id === 'bad/x')).toMatchObject({ state: 'failed', error: 'no route to host' })
    seen.length = 0
    await s.manager.cleanup()
    expect(seen.map((e) => e.line)).toEqual([
      'cleanup start db/pg',
      'cleanup end db/pg',
      'cleanup asyncStart db/pg',
      'cleanup asyncEnd db/pg',
    ])
  })

  it('a persistent plugin: state load inside its initialize, state save inside its cleanup, with the store key', async () => {
    const s = system()
    const Counter = persistentPlugin(
      class Counter extends PepperpyPlugin {
        count = 0
      },
    )
    s.registerPlugin('stats', 'counter', Counter)
    const c = (await s.createProviderInstance('stats', 'counter')) as PepperpyPlugin & { count: number }
    const seen = subscribeAll()
    await c.initialize()
    c.count = 5
    await c.cleanup()
    // `end` marks the end of each operation's synchronous part; the async events its settling
    expect(seen.map((e) => e.line)).toEqual([
      'initialize start stats/counter',
      'state:load start stats/counter',
      'state:load end stats/counter',
      'initialize end stats/counter',
      'state:load asyncStart stats/counter',
      'state:load asyncEnd stats/counter',
      'initialize asyncStart stats/counter',
      'initialize asyncEnd stats/counter',
      'cleanup start stats/counter',
      'cleanup end stats/counter',
      'state:save start stats/counter',
      'state:save end stats/counter',
      'state:save asyncStart stats/counter',
      'state:save asyncEnd stats/counter',
      'cleanup asyncStart stats/counter',
      'cleanup asyncEnd stats/counter',
    ])
    const save = seen.find((e) => e.line === 'state:save start stats/counter')!.ctx
    expect(save).toEqual({ pluginId: 'stats/counter', type: 'stats', provider: 'counter', key: 'stats/counter' })
    expect((await s.stateStore.load('stats/counter'))?.data).toEqual({ count: 5 })
  })

  it('a hot reload: one reload trace per reload, with the file, the new instance initialized inside it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pepperpy-obs-reload-'))
    dirs.push(root)
    write(root, 'greeter/hi/plugin.yaml', 'entry_point: p.ts:G\nhot_reload: true\n')
    const code = (v: string) =>
      `import { PepperpyPlugin } from '@pepperpy/plugin'\nexport class G extends PepperpyPlugin { async hi() { return '${v}' } }\n`
    const file = write(root, 'greeter/hi/p.ts', code('v1'))
    const s = system({ paths: [root] })
    const g = (await s.createProviderInstance('greeter', 'hi')) as unknown as PepperpyPlugin & { hi(): Promise<string> }
    await g.initialize()
    // subscribed before watching: on a loaded machine the watcher may report the test's own earlier
    // writes late, and that reload (of the same file, picking up v2) must be traced like any other
    const seen = subscribeAll()
    const watcher = await s.startHotReload({ debounceMs: 30 })
    await watcher.ready
    let reloads = 0
    const reloaded = new Promise<void>((done) =>
      watcher.on('reload', () => {
        reloads++
        void g.hi().then((v) => v === 'v2' && done())
      }),
    )
    writeFileSync(file, code('v2'))
    await reloaded
    expect(await g.hi()).toBe('v2')
    await watcher.stop() // waits for the reload to finish
    const once = ['reload start greeter/hi', 'reload end greeter/hi', 'reload asyncStart greeter/hi', 'reload asyncEnd greeter/hi']
    // the edit's own reload, at most one late one before it, never more
    expect(reloads).toBeGreaterThanOrEqual(1)
    expect(reloads).toBeLessThanOrEqual(2)
    expect(lines(seen, 'reload')).toEqual(Array.from({ length: reloads }, () => once).flat())
    const last = seen.map((e) => e.line).lastIndexOf('reload start greeter/hi')
    expect(seen[last]!.ctx).toEqual({
      pluginId: 'greeter/hi',
      type: 'greeter',
      provider: 'hi',
      file,
    })
    const after = seen.slice(last)
    const start = at(after, 'reload start greeter/hi')
    const init = at(after, 'initialize start greeter/hi')
    expect(start).toBeLessThan(init)
    expect(at(after, 'initialize asyncEnd greeter/hi')).toBeLessThan(at(after, 'reload asyncEnd greeter/hi'))
  })
})
