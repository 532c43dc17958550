import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PepperpyPlugin, PluginNotFoundError, silentLogger, type PluginClass } from '@pepperpy/plugin'
import { HOT_RELOADABLE, instantiatePlugin } from '@pepperpy/plugin/spi'
import { describe, expect, it } from 'vitest'
import { provider, useTempDirs, write } from './__tests__/fixtures.js'
import { PluginRegistry } from './plugin-registry.js'

const temp = useTempDirs()

const isolated = (paths: string[] = [], extra: ConstructorParameters<typeof PluginRegistry>[0] = {}) =>
  new PluginRegistry({ defaultPaths: false, paths, logger: silentLogger, env: {}, ...extra })
const manifest = (entry: string, extra = '') => `name: test\nversion: 1.0.0\nentry_point: ${entry}\n${extra}`

describe('registration', () => {
  it('stamps static pluginType/provider once; the same class may be registered twice; pluginId comes from resolve', async () => {
    class Echo extends PepperpyPlugin {}
    const r = isolated()
    r.register('llm', 'echo', Echo)
    r.register('chat', 'echo2', Echo)
    expect([Echo.pluginType, Echo.provider]).toEqual(['llm', 'echo'])
    const res = await r.resolve('chat', 'echo2')
    expect(instantiatePlugin(res.PluginClass, res).pluginId).toBe('chat/echo2')
    expect(r.listTypes()).toEqual(['chat', 'llm'])
    expect(r.unregister('chat', 'echo2')).toBe(true)
    expect(r.has('chat', 'echo2')).toBe(false)
  })

  it('refuses non-plugin classes and names with "/"', () => {
    const r = isolated()
    expect(() => r.register('llm', 'x', class {} as unknown as PluginClass)).toThrow(/expected a class extending PepperpyPlugin/)
    expect(() => r.register('llm/x', 'y', PepperpyPlugin)).toThrow(/is not a valid name: use 1 to 64 letters/)
    expect(() => r.register('llm', '', PepperpyPlugin)).toThrow(/is not a valid name: use 1 to 64 letters/)
  })

  it('an alias that would close a loop is not registered', async () => {
    class P extends PepperpyPlugin {}
    const r = isolated()
    r.register('llm', 'real', P)
    r.registerAlias('llm', 'a', 'real')
    expect(() => r.registerAlias('llm', 'a', 'a')).toThrow(/alias loop llm\/a -> llm\/a/)
    expect((await r.resolve('llm', 'a')).provider).toBe('real')
  })

  it('getMetadata merges manifest, registration and static dependencies, following aliases', () => {
    class P extends PepperpyPlugin {
      static override dependencies = [{ type: 'storage', dependencyType: 'optional' as const }]
    }
    const root = temp()
    write(root, {
      'rag/chroma/plugin.yaml': manifest(
        'p.ts:P',
        'dependencies:\n  - embeddings/local\n  - { type: cache, provider: mem, dependency_type: runtime }\n',
      ),
    })
    const r = isolated([root])
    r.register('rag', 'mine', P, { dependencies: [{ type: 'embeddings' }] })
    r.registerAlias('rag', 'default', 'chroma')
    expect(r.getMetadata('rag', 'default')?.dependencies).toEqual([
      { type: 'embeddings', provider: 'local' },
      { type: 'cache', provider: 'mem', dependencyType: 'runtime' },
    ])
    expect(r.getMetadata('rag', 'mine')?.dependencies).toEqual([{ type: 'embeddings' }, { type: 'storage', dependencyType: 'optional' }])
    expect(r.getMetadata('rag', 'none')).toBeUndefined()
  })
})

describe('discovery freshness', () => {
  it('sees PEPPERPY_PLUGIN_PATH changes and registered paths without discover(); a moved plugin loads from its new file', async () => {
    const a = temp()
    const b = temp()
    write(a, { 'llm/x/plugin.yaml': manifest('p.ts:P'), 'llm/x/p.ts': provider('P', "from = 'a'") })
    write(b, { 'llm/x/plugin.yaml': manifest('p.ts:P'), 'llm/x/p.ts': provider('P', "from = 'b'") })
    const env: Record<string, string | undefined> = {}
    const r = new PluginRegistry({ cwd: temp(), homeDir: temp(), env, logger: silentLogger })
    expect(r.has('llm', 'x')).toBe(false)
    env['PEPPERPY_PLUGIN_PATH'] = a
    expect(r.has('llm', 'x')).toBe(true)
    const fromA = await r.resolve('llm', 'x')
    expect(instantiatePlugin(fromA.PluginClass, fromA)).toMatchObject({ from: 'a' })
    r.registerPath(b)
    const fromB = await r.resolve('llm', 'x')
    expect(fromB.info.manifestPath).toBe(join(b, 'llm/x/plugin.yaml'))
    expect(instantiatePlugin(fromB.PluginClass, fromB)).toMatchObject({ from: 'b' })
  })

  it('a root that is itself one plugin folder counts when its manifest declares type and provider', () => {
    const root = temp()
    write(root, { 'plugin.yaml': manifest('p.ts:P', 'type: tts\nprovider: solo\n'), 'p.ts': provider('P') })
    expect(
      isolated([root])
        .list()
        .map((p) => `${p.type}/${p.provider}`),
    ).toEqual(['tts/solo'])
  })

  it('a changed manifest takes effect at the next discover(): config schema and defaults are not stale', async () => {
    const root = temp()
    const yaml = (model: string) => manifest('p.ts:P', `default_config:\n  model: ${model}\n`)
    write(root, { 'llm/x/plugin.yaml': yaml('one'), 'llm/x/p.ts': provider('P') })
    const r = isolated([root])
    expect((await r.resolve('llm', 'x')).config).toEqual({ model: 'one' })
    write(root, { 'llm/x/plugin.yaml': yaml('two') })
    await r.discover()
    expect((await r.resolve('llm', 'x')).config).toEqual({ model: 'two' })
  })

  it('discovers 1,000 manifests in sorted order, with none lost', () => {
    const root = temp()
    for (let i = 0; i < 1000; i++) {
      const dir = join(root, `t${i % 10}`, `p${String(i).padStart(4, '0')}`)
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'plugin.yaml'), manifest('p.ts:P'))
    }
    const ids = isolated([root])
      .list()
      .map((p) => `${p.type}/${p.provider}`)
    expect(ids).toHaveLength(1000)
    expect(ids).toEqual([...ids].sort())
  })

  it('plugin packages: scoped names, manifests in subfolders; devDependencies are not searched', async () => {
    const cwd = temp()
    write(cwd, {
      'package.json': JSON.stringify({ dependencies: { '@acme/llm': '1' }, devDependencies: { 'dev-only': '1' } }),
      'node_modules/@acme/llm/package.json': JSON.stringify({ name: '@acme/llm', pepperpy: { plugins: ['plugins/llm/acme'] } }),
      'node_modules/@acme/llm/plugins/llm/acme/plugin.yaml': manifest('p.ts:P'),
      'node_modules/@acme/llm/plugins/llm/acme/p.ts': provider('P'),
      'node_modules/dev-only/package.json': JSON.stringify({
        name: 'dev-only',
        pepperpy: { plugins: [{ type: 'llm', provider: 'dev', entry_point: 'p.ts:P' }] },
      }),
    })
    const r = new PluginRegistry({ cwd, homeDir: temp(), env: {}, logger: silentLogger })
    expect(r.list().map((p) => `${p.type}/${p.provider}:${p.source}`)).toEqual(['llm/acme:package'])
    expect((await r.resolve('llm', 'acme')).PluginClass.name).toBe('P')
  })
})

describe('resolve', () => {
  it("'auto' with no fallbacks, and an alias to a missing provider, explain themselves", async () => {
    const r = isolated()
    await expect(r.resolve('llm', 'auto')).rejects.toThrow(/tried auto \(no fallbacks registered for "llm"\)/)
    r.registerAlias('llm', 'fast', 'ghost')
    const error = await r.resolve('llm', 'fast').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PluginNotFoundError)
    expect((error as PluginNotFoundError).tried).toEqual([{ provider: 'fast', reason: 'alias of ghost, which is not registered' }])
  })

  it('a file fixed after a failed load loads on the next resolve', async () => {
    const root = temp()
    write(root, { 'llm/x/plugin.yaml': manifest('p.ts:P'), 'llm/x/p.ts': 'export const = broken' })
    const r = isolated([root])
    await expect(r.resolve('llm', 'x')).rejects.toThrow(/entry point failed: cannot load/)
    write(root, { 'llm/x/p.ts': provider('P') })
    expect((await r.resolve('llm', 'x')).PluginClass.name).toBe('P')
  })
})

describe('hot reload support', () => {
  it('lists manifests with hot_reload and marked classes; replaceClass swaps the class and keeps the manifest', async () => {
    const root = temp()
    write(root, {
      'llm/hot/plugin.yaml': manifest('p.ts:P', 'hot_reload: true\ndefault_config:\n  model: m\n'),
      'llm/hot/p.ts': provider('P'),
      'llm/cold/plugin.yaml': manifest('p.ts:P'),
      'llm/cold/p.ts': provider('P'),
    })
    class Marked extends PepperpyPlugin {
      static [HOT_RELOADABLE] = { file: join(root, 'marked.ts'), exportName: 'Marked' }
    }
    const r = isolated([root])
    r.register('tts', 'marked', Marked)
    expect(r.hotReloadTargets()).toEqual([
      { type: 'llm', provider: 'hot', dir: join(root, 'llm/hot'), entryFile: join(root, 'llm/hot/p.ts'), exportName: 'P' },
      { type: 'tts', provider: 'marked', dir: root, entryFile: join(root, 'marked.ts'), exportName: 'Marked' },
    ])
    const before = await r.resolve('llm', 'hot')
    expect(before.hotReload).toBe(true)
    const ns = await r.loader.load(join(root, 'llm/hot/p.ts'), { fresh: true })
    r.replaceClass('llm', 'hot', ns['P'] as PluginClass)
    const after = await r.resolve('llm', 'hot')
    expect(after.PluginClass).toBe(ns['P'])
    expect(after.PluginClass).not.toBe(before.PluginClass)
    expect(after.config).toEqual({ model: 'm' })
    expect(after.info.manifestPath).toBe(join(root, 'llm/hot/plugin.yaml'))
    expect((await r.resolve('tts', 'marked')).entryFile).toBe(join(root, 'marked.ts'))
    expect(() => r.replaceClass('llm', 'nope', Marked)).toThrow(PluginNotFoundError)
  })
})
