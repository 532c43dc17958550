import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import {
  autoContext,
  createPluginSystem,
  getPluginSystem,
  graphToDot,
  graphToMermaid,
  MemoryStateStore,
  PepperpyPlugin,
  persistentPlugin,
  PluginNotFoundError,
  resetPluginSystem,
  ResourceMixin,
  type Logger,
  type PluginSystem,
} from './index.js'
import * as api from './index.js'

const dirs: string[] = []
const systems: PluginSystem[] = []
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'pepperpy-umbrella-'))
  dirs.push(d)
  return d
}
const system = (options: Parameters<typeof createPluginSystem>[0] = {}) => {
  const s = createPluginSystem({ defaultPaths: false, env: {}, stateStore: new MemoryStateStore(), logger: quiet(), ...options })
  systems.push(s)
  return s
}
function quiet(lines: string[] = []): Logger {
  const push =
    (level: string) =>
    (m: string, ...a: unknown[]) =>
      void lines.push([level, m, ...a.map((x) => (x instanceof Error ? x.message : JSON.stringify(x)))].join(' '))
  return { debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') }
}
afterEach(async () => {
  for (const s of systems.splice(0)) await s.dispose()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  await resetPluginSystem()
})

class Embeddings extends ResourceMixin(PepperpyPlugin) {
  dimensions = 4
  db: { id: number } | undefined
  override async initialize() {
    this.db = await this.getResource('db', { factory: () => ({ id: Math.random() }), cleanup: () => void closed.push('db') })
  }
  embed(text: string) {
    return Array.from({ length: this.dimensions }, (_, i) => text.length + i)
  }
}
class Rag extends ResourceMixin(PepperpyPlugin) {
  static override dependencies = [{ type: 'embeddings', provider: 'hash' }]
  db: { id: number } | undefined
  override async initialize() {
    this.db = await this.getResource('db', { factory: () => ({ id: Math.random() }), cleanup: () => void closed.push('db') })
  }
  query(q: string) {
    return this.getDependency<Embeddings>('embeddings')!.embed(q)
  }
}
let closed: string[] = []

describe('createPluginSystem', () => {
  it('wires dependencies, shared resources and cleanup with no extra calls', async () => {
    closed = []
    const s = system()
    s.registerPlugin('embeddings', 'hash', Embeddings)
    s.registerPlugin('rag', 'memory', Rag)
    const rag = (await s.createProviderInstance('rag', 'memory')) as Rag
    await rag.initialize()
    expect(rag.query('abc')).toEqual([3, 4, 5, 6])
    const emb = s.manager.getInstance('embeddings', 'hash') as Embeddings
    expect(emb.initialized).toBe(true)
    expect(emb.db).toBe(rag.db)
    await s.dispose()
    expect(closed).toEqual(['db'])
    expect(rag.initialized).toBe(false)
    expect(emb.initialized).toBe(false)
    expect(s.resources.has('db')).toBe(false)
  })

  it('createProviderInstance returns a new instance each call; the manager keeps one per key', async () => {
    const s = system()
    s.registerPlugin('llm', 'echo', class extends PepperpyPlugin {})
    const [a, b] = [await s.createProviderInstance('llm', 'echo'), await s.createProviderInstance('llm', 'echo')]
    expect(a).not.toBe(b)
    expect(await s.manager.createInstance('llm', 'echo')).toBe(await s.manager.createInstance('llm', 'echo'))
  })

  it('gives each plugin a child logger named after its pluginId that never prints secrets', async () => {
    const lines: string[] = []
    const s = system({ logger: quiet(lines) })
    s.registerPlugin(
      'llm',
      'openai',
      class extends PepperpyPlugin {
        apiKey = ''
        override async initialize() {
          this.logger.info(`connecting with ${this.apiKey}`, { api_key: this.apiKey })
        }
      },
    )
    const llm = await s.createProviderInstance('llm', 'openai', { api_key: 'sk-very-secret-1' })
    await llm.initialize()
    expect(lines.join('\n')).toContain('[llm/openai] connecting with [redacted]')
    expect(lines.join('\n')).not.toContain('sk-very-secret-1')
    expect(JSON.stringify(llm) + inspect(llm)).not.toContain('sk-very-secret-1')
  })

  it('sees an environment variable set after the system was created', async () => {
    const s = createPluginSystem({ defaultPaths: false, stateStore: new MemoryStateStore(), logger: quiet() })
    systems.push(s)
    s.registerPlugin(
      'llm',
      'envtest',
      class extends PepperpyPlugin {
        model = 'class'
      },
    )
    expect(((await s.createProviderInstance('llm', 'envtest')) as unknown as { model: string }).model).toBe('class')
    process.env['PEPPERPY_LLM__ENVTEST__MODEL'] = 'from-env'
    try {
      expect(((await s.createProviderInstance('llm', 'envtest')) as unknown as { model: string }).model).toBe('from-env')
    } finally {
      delete process.env['PEPPERPY_LLM__ENVTEST__MODEL']
    }
  })

  it('persists state through the system store', async () => {
    const store = new MemoryStateStore()
    const Counter = persistentPlugin(
      class extends PepperpyPlugin {
        runs = 0
      },
    )
    for (let i = 1; i <= 2; i++) {
      const s = system({ stateStore: store })
      s.registerPlugin('stats', 'runs', Counter)
      const c = (await s.createProviderInstance('stats', 'runs')) as InstanceType<typeof Counter>
      await autoContext(c, () => void c.runs++)
      expect(c.runs).toBe(i)
    }
  })

  it('loads discovered plugins with their manifest config, and reports unknown ones with what was tried', async () => {
    const root = temp()
    mkdirSync(join(root, 'llm', 'echo'), { recursive: true })
    writeFileSync(join(root, 'llm', 'echo', 'plugin.yaml'), 'entry_point: p.ts:Echo\ndefault_config:\n  prefix: from-manifest\n')
    writeFileSync(
      join(root, 'llm', 'echo', 'p.ts'),
      "import { PepperpyPlugin } from '@pepperpy/plugins'\nexport class Echo extends PepperpyPlugin { prefix = 'class' }\n",
    )
    const s = system({ paths: [root] })
    const echo = await s.createProviderInstance('llm', 'echo')
    expect(echo).toBeInstanceOf(PepperpyPlugin)
    expect((echo as unknown as { prefix: string }).prefix).toBe('from-manifest')
    await expect(s.createProviderInstance('llm', 'nope')).rejects.toBeInstanceOf(PluginNotFoundError)
    expect(s.listPlugins().map((p) => `${p.type}/${p.provider}`)).toEqual(['llm/echo'])
  })

  it("hands plugin code the host's own umbrella and packages: every name, the same values", async () => {
    const root = temp()
    mkdirSync(join(root, 'host', 'probe'), { recursive: true })
    writeFileSync(join(root, 'host', 'probe', 'plugin.yaml'), 'entry_point: p.ts:Probe\n')
    writeFileSync(
      join(root, 'host', 'probe', 'p.ts'),
      [
        "import * as umbrella from '@pepperpy/plugins'",
        "import * as registry from '@pepperpy/registry'",
        "import * as manager from '@pepperpy/manager'",
        "import * as resources from '@pepperpy/resources'",
        "import * as extensions from '@pepperpy/extensions'",
        'export class Probe extends umbrella.PepperpyPlugin { seen = { umbrella, registry, manager, resources, extensions } }',
        '',
      ].join('\n'),
    )
    const probe = (await system({ paths: [root] }).createProviderInstance('host', 'probe')) as unknown as {
      seen: Record<string, Record<string, unknown>>
    }
    const host: Record<string, Record<string, unknown>> = {
      umbrella: api,
      registry: await import('@pepperpy/registry'),
      manager: await import('@pepperpy/manager'),
      resources: await import('@pepperpy/resources'),
      extensions: await import('@pepperpy/extensions'),
    }
    for (const [name, ns] of Object.entries(host)) {
      const seen = probe.seen[name]!
      expect(Object.keys(seen).sort(), name).toEqual(Object.keys(ns).sort())
      for (const key of Object.keys(ns)) expect(seen[key], `${name}.${key}`).toBe(ns[key])
    }
  })

  it('hot reloads a discovered plugin behind the handle createProviderInstance returned', async () => {
    const root = temp()
    const dir = join(root, 'greeter', 'hi')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'plugin.yaml'), 'entry_point: p.ts:G\nhot_reload: true\n')
    const code = (v: string) =>
      `import { PepperpyPlugin } from '@pepperpy/plugin'\nexport class G extends PepperpyPlugin { n = 0\n async hi() { this.n++; return '${v}:' + this.n } }\n`
    writeFileSync(join(dir, 'p.ts'), code('v1'))
    const s = system({ paths: [root] })
    const g = (await s.createProviderInstance('greeter', 'hi')) as unknown as PepperpyPlugin & { hi(): Promise<string> }
    await g.initialize()
    const watcher = await s.startHotReload({ debounceMs: 30 })
    await watcher.ready
    expect(await g.hi()).toBe('v1:1')
    const reloaded = new Promise((r) => watcher.on('reload', r))
    writeFileSync(join(dir, 'p.ts'), code('v2'))
    await reloaded
    expect(await g.hi()).toBe('v2:2')
    expect(g).toBeInstanceOf(PepperpyPlugin)
    expect(readFileSync(join(dir, 'p.ts'), 'utf8')).toContain('v2')
  })

  it('draws the graph as mermaid and dot', async () => {
    const s = system()
    s.registerPlugin('embeddings', 'hash', Embeddings)
    s.registerPlugin('rag', 'memory', Rag)
    s.manager.registerPluginMetadata('rag', 'memory', { dependencies: [{ type: 'cache', provider: 'x', dependencyType: 'optional' }] })
    await s.manager.createInstance('rag', 'memory')
    await s.manager.loadDependencies('rag', 'memory')
    const g = s.graph()
    expect(graphToMermaid(g)).toContain('rag_memory --> embeddings_hash')
    expect(graphToDot(g)).toContain('"rag/memory" -> "embeddings/hash";')
  })
})

describe('the default system and the functional API', () => {
  it('is one per process under a Symbol.for key; reset cleans up what createProviderInstance made', async () => {
    const first = getPluginSystem()
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('pepperpy.defaultSystem')]).toBe(first)
    let cleaned = 0
    api.registerPlugin(
      't',
      'p',
      class extends PepperpyPlugin {
        override async cleanup() {
          cleaned++
        }
      },
    )
    const p = await api.createProviderInstance('t', 'p')
    await p.initialize()
    expect(api.listPlugins().some((i) => i.provider === 'p')).toBe(true)
    expect(api.getPluginManager()).toBe(first.manager)
    await resetPluginSystem()
    expect(cleaned).toBe(1)
    expect(getPluginSystem()).not.toBe(first)
  })

  it('autoContext: await using, and the callback form that always cleans up', async () => {
    const s = system()
    s.registerPlugin('t', 'p', class extends PepperpyPlugin {})
    const p = await s.createProviderInstance('t', 'p')
    {
      await using ctx = await autoContext(p)
      expect(ctx.initialized).toBe(true)
    }
    expect(p.initialized).toBe(false)
    await expect(
      autoContext(p, () => {
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(p.initialized).toBe(false)
    expect(await autoContext(p, (x) => x.pluginId)).toBe('t/p')
  })

  it('exports every name of the DESIGN public API', () => {
    for (const name of [
      'createProviderInstance',
      'registerPlugin',
      'registerPluginAlias',
      'registerPluginFallbacks',
      'registerPluginPath',
      'discoverPlugins',
      'listPlugins',
      'getPluginManager',
      'autoContext',
      'createPluginSystem',
      'resetPluginSystem',
      'PepperpyPlugin',
      'PepperpyError',
      'PluginNotFoundError',
      'ManifestError',
      'ConfigError',
      'DependencyError',
      'CircularDependencyError',
      'PluginInitError',
      'PluginTimeoutError',
      'ResourceError',
      'StateError',
      'HotReloadError',
      'pluginManifestSchema',
      'ResourceMixin',
      'createPool',
      'persistentPlugin',
      'hotReloadablePlugin',
      'startHotReload',
      'FileStateStore',
      'MemoryStateStore',
      'PluginManager',
      'PluginRegistry',
    ])
      expect(api, name).toHaveProperty(name)
  })
})
