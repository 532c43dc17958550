import { readdirSync, statSync, symlinkSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { PepperpyPlugin, silentLogger } from '@pepperpy/plugin'
import { afterEach, describe, expect, it } from 'vitest'
import { provider, tempDir, write } from './__tests__/fixtures.js'
import { PluginRegistry } from './plugin-registry.js'

const dirs: Array<{ cleanup(): void }> = []
const temp = () => {
  const d = tempDir()
  dirs.push(d)
  return d.path
}
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup()
})

const isolated = (paths: string[], extra: ConstructorParameters<typeof PluginRegistry>[0] = {}) =>
  new PluginRegistry({ defaultPaths: false, paths, logger: silentLogger, env: {}, ...extra })

const manifest = (entry: string, extra = '') => `name: test\nversion: 1.0.0\nentry_point: ${entry}\n${extra}`

describe('discovery', () => {
  it("finds PepperPy's four-plugin test layout, visible immediately after registerPath", async () => {
    const root = temp()
    for (const [t, p] of [
      ['llm', 'openai'],
      ['llm', 'anthropic'],
      ['embeddings', 'openai'],
      ['embeddings', 'local'],
    ]) {
      write(root, { [`${t}/${p}/plugin.yaml`]: manifest('provider.ts:P'), [`${t}/${p}/provider.ts`]: provider('P') })
    }
    const registry = isolated([])
    expect(registry.has('llm', 'openai')).toBe(false)
    registry.registerPath(root)
    expect(registry.has('llm', 'openai')).toBe(true)
    expect(registry.list().map((p) => `${p.type}/${p.provider}`)).toEqual([
      'embeddings/local',
      'embeddings/openai',
      'llm/anthropic',
      'llm/openai',
    ])
    const report = await registry.discover()
    expect(report.plugins).toHaveLength(4)
    expect(report.diagnostics).toEqual([])
    expect(report.plugins[0]?.source).toBe('file')
  })

  it('never imports code at discovery; the first resolve does, once', async () => {
    const root = temp()
    const counter = `globalThis.__pepperpyImports = (globalThis.__pepperpyImports ?? 0) + 1`
    write(root, { 'llm/lazy/plugin.yaml': manifest('provider.ts:P'), 'llm/lazy/provider.ts': provider('P', '', counter) })
    const g = globalThis as { __pepperpyImports?: number }
    g.__pepperpyImports = 0
    const registry = isolated([root])
    await registry.discover()
    expect(registry.list()).toHaveLength(1)
    expect(g.__pepperpyImports).toBe(0)
    const [a, b] = await Promise.all([registry.resolve('llm', 'lazy'), registry.resolve('llm', 'lazy')])
    await registry.resolve('llm', 'lazy')
    expect(g.__pepperpyImports).toBe(1)
    expect(a.PluginClass).toBe(b.PluginClass)
    expect(a.PluginClass.prototype).toBeInstanceOf(PepperpyPlugin)
  })

  it('reports broken YAML and a missing entry_point while the rest load', async () => {
    const root = temp()
    write(root, {
      'llm/good/plugin.yaml': manifest('provider.ts:P'),
      'llm/good/provider.ts': provider('P'),
      'llm/broken/plugin.yaml': 'name: [unclosed\nentry_point: x',
      'llm/noentry/plugin.yaml': 'name: no entry\nversion: 1.0.0\n',
      'llm/typo/plugin.yaml': 'entrypoint: provider.ts:P\n',
    })
    const report = await isolated([root]).discover()
    expect(report.plugins.map((p) => p.provider)).toEqual(['good'])
    const byFile = (name: string) => report.diagnostics.filter((d) => d.file === join(root, 'llm', name, 'plugin.yaml'))
    expect(byFile('broken')[0]).toMatchObject({ severity: 'error', message: expect.stringContaining('invalid YAML') })
    expect(byFile('noentry')[0]).toMatchObject({
      severity: 'error',
      field: 'entry_point',
      message: expect.stringContaining('entry_point is required'),
    })
    expect(byFile('typo').map((d) => d.message)).toContain('unknown field "entrypoint": did you mean "entry_point"?')
  })

  it('refuses entry points that escape the plugin folder, and never imports them', async () => {
    const root = temp()
    const outside = temp()
    const g = globalThis as { __escaped?: boolean }
    g.__escaped = false
    write(outside, { 'evil.ts': provider('P', '', 'globalThis.__escaped = true') })
    write(root, {
      'x/dots/plugin.yaml': manifest('../../../evil.ts:P'),
      'x/abs/plugin.yaml': manifest(`${join(outside, 'evil.ts')}:P`),
      'x/link/plugin.yaml': manifest('link.ts:P'),
    })
    symlinkSync(join(outside, 'evil.ts'), join(root, 'x/link/link.ts'))
    const registry = isolated([root])
    const report = await registry.discover()
    expect(report.plugins).toEqual([])
    const messages = report.diagnostics.map((d) => `${d.severity} ${d.field} ${d.message}`)
    expect(messages.some((m) => m.includes('escapes the plugin folder'))).toBe(true)
    expect(messages.some((m) => m.includes('absolute path'))).toBe(true)
    expect(messages.some((m) => m.includes('symlink outside the plugin folder'))).toBe(true)
    for (const p of ['dots', 'abs', 'link'])
      await expect(registry.resolve('x', p)).rejects.toMatchObject({
        code: 'MANIFEST_INVALID',
        message: expect.stringMatching(/refused.*entry_point.*(escapes the plugin folder|absolute path|symlink outside)/),
      })
    expect(g.__escaped).toBe(false)
  })

  it('later roots win, with a warning naming both files', async () => {
    const a = temp()
    const b = temp()
    write(a, { 'llm/x/plugin.yaml': manifest('p.ts:P', 'description: from a'), 'llm/x/p.ts': provider('P') })
    write(b, { 'llm/x/plugin.yaml': manifest('p.ts:P', 'description: from b'), 'llm/x/p.ts': provider('P') })
    const report = await isolated([a, b]).discover()
    expect(report.plugins.map((p) => p.description)).toEqual(['from b'])
    const warning = report.diagnostics.find((d) => d.severity === 'warning')
    expect(warning?.message).toContain(join(a, 'llm/x/plugin.yaml'))
    expect(warning?.message).toContain(join(b, 'llm/x/plugin.yaml'))
  })

  it('searches ./plugins and PEPPERPY_PLUGIN_PATH by default; explicit register beats both', async () => {
    const cwd = temp()
    const extra = temp()
    write(cwd, { 'plugins/llm/local/plugin.yaml': manifest('p.ts:P'), 'plugins/llm/local/p.ts': provider('P') })
    write(extra, { 'tts/env/plugin.yaml': manifest('p.ts:P'), 'tts/env/p.ts': provider('P') })
    const registry = new PluginRegistry({ cwd, homeDir: temp(), env: { PEPPERPY_PLUGIN_PATH: extra }, logger: silentLogger })
    expect(registry.has('llm', 'local')).toBe(true)
    expect(registry.has('tts', 'env')).toBe(true)
    class Mine extends PepperpyPlugin {}
    registry.register('llm', 'local', Mine)
    expect((await registry.resolve('llm', 'local')).PluginClass).toBe(Mine)
    expect(registry.list().find((p) => p.provider === 'local')?.source).toBe('registered')
  })

  it('discovers plugin packages listed in the app package.json', async () => {
    const cwd = temp()
    write(cwd, {
      'package.json': JSON.stringify({ name: 'app', dependencies: { 'pepperpy-plugin-x': '1.0.0', other: '1.0.0' } }),
      'node_modules/other/package.json': JSON.stringify({ name: 'other' }),
      'node_modules/pepperpy-plugin-x/package.json': JSON.stringify({
        name: 'pepperpy-plugin-x',
        pepperpy: {
          plugins: ['plugins/tts/x/plugin.yaml', { type: 'tts', provider: 'inline', entry_point: 'plugins/tts/x/p.ts:P' }, { type: 'bad' }],
        },
      }),
      'node_modules/pepperpy-plugin-x/plugins/tts/x/plugin.yaml': manifest('p.ts:P'),
      'node_modules/pepperpy-plugin-x/plugins/tts/x/p.ts': provider('P'),
    })
    const registry = new PluginRegistry({ cwd, homeDir: temp(), env: {}, logger: silentLogger })
    const report = await registry.discover()
    expect(report.plugins.map((p) => `${p.type}/${p.provider}:${p.source}`).sort()).toEqual(['tts/inline:package', 'tts/x:package'])
    expect(report.diagnostics.some((d) => d.field?.startsWith('pepperpy.plugins[2]') && d.severity === 'error')).toBe(true)
    const resolved = await registry.resolve('tts', 'inline')
    expect(resolved.PluginClass.name).toBe('P')
  })

  it('loads TypeScript with the default export, named exports, and reports a missing export', async () => {
    const root = temp()
    write(root, {
      'a/def/plugin.yaml': manifest('provider.ts'),
      'a/def/provider.ts': provider('default', 'x: number = 1'),
      'a/mjs/plugin.yaml': manifest('impl:Impl'),
      'a/mjs/impl.mjs': `import { PepperpyPlugin } from '@pepperpy/plugin'\nexport class Impl extends PepperpyPlugin {}\n`,
      'a/miss/plugin.yaml': manifest('provider.ts:Nope'),
      'a/miss/provider.ts': provider('P'),
      'a/py/plugin.yaml': manifest('provider.OpenAIProvider'),
    })
    const registry = isolated([root])
    expect((await registry.resolve('a', 'def')).PluginClass.name).toBe('Plugin')
    expect((await registry.resolve('a', 'mjs')).PluginClass.name).toBe('Impl')
    await expect(registry.resolve('a', 'miss')).rejects.toThrow(/has no export "Nope"; it exports P/)
    const report = await registry.discover()
    expect(report.diagnostics.find((d) => d.file?.includes('/py/'))?.message).toMatch(
      /Python entry point; write it as "provider.ts:OpenAIProvider"/,
    )
    await expect(registry.resolve('a', 'py')).rejects.toThrow(
      /entry point failed: entry module not found .*tried provider.OpenAIProvider.ts/,
    )
  })

  it('survives symlink loops and skips deeper manifests without type and provider', async () => {
    const root = temp()
    write(root, {
      'a/b/c/plugin.yaml': manifest('p.ts:P'),
      'a/b/d/plugin.yaml': manifest('p.ts:P', 'type: deep\nprovider: one'),
      'a/b/d/p.ts': provider('P'),
    })
    symlinkSync(root, join(root, 'a', 'loop'))
    const report = await isolated([root]).discover()
    expect(report.plugins.map((p) => `${p.type}/${p.provider}`)).toEqual(['deep/one'])
    expect(report.diagnostics.some((d) => d.message.includes('does not declare type and provider'))).toBe(true)
  })

  it('checks pepperpy version ranges against the host', async () => {
    const root = temp()
    write(root, {
      'a/old/plugin.yaml': manifest('p.ts:P', 'pepperpy: ">=2.0.0"'),
      'a/old/p.ts': provider('P'),
      'a/ok/plugin.yaml': manifest('p.ts:P', 'pepperpy_compatibility: "^1.2.0"'),
      'a/ok/p.ts': provider('P'),
    })
    const report = await isolated([root], { hostVersion: '1.4.0' }).discover()
    expect(report.plugins.map((p) => p.provider)).toEqual(['ok'])
    expect(report.diagnostics[0]).toMatchObject({
      field: 'pepperpy',
      severity: 'error',
      message: expect.stringContaining('requires @pepperpy >=2.0.0, but this host is 1.4.0'),
    })
  })
})

const fixtures = resolve(import.meta.dirname, '../../../test/fixtures/pepperpy-manifests')
describe("PepperPy's 88 real manifests", () => {
  it('are each discovered or reported with a diagnostic naming the file; none dropped silently', async () => {
    const files: string[] = []
    const walk = (d: string): void => {
      for (const n of readdirSync(d)) {
        const p = join(d, n)
        if (statSync(p).isDirectory()) walk(p)
        else if (n === 'plugin.yaml') files.push(p)
      }
    }
    walk(fixtures)
    expect(files).toHaveLength(88)
    const registry = isolated([join(fixtures, 'plugins'), join(fixtures, 'assets', 'templates')])
    const report = await registry.discover()
    const accounted = new Set([...report.plugins.map((p) => p.manifestPath), ...report.diagnostics.map((d) => d.file)])
    for (const f of files) expect(accounted, f).toContain(f)
    expect(report.plugins.length).toBeGreaterThan(60)
    const broken = report.diagnostics.find((d) => d.file?.endsWith('text_normalization/basic/plugin.yaml'))
    expect(broken?.severity).toBe('error')
    // PepperPy's Python shapes are tolerated with warnings, not dropped
    const stanza = report.diagnostics.filter((d) => d.file?.endsWith('semantic/stanza/plugin.yaml'))
    expect(stanza.map((d) => `${d.severity} ${d.field}`)).toEqual(expect.arrayContaining(['warning provider', 'warning dependencies.0']))
    expect(stanza.some((d) => d.severity === 'error')).toBe(false)
    expect(report.diagnostics.filter((d) => d.severity === 'error' && /dependencies/.test(d.field ?? ''))).toEqual([])
    // Python entry points get a clear warning, and loading one fails with the paths tried
    expect(report.diagnostics.filter((d) => /Python entry point/.test(d.message)).length).toBeGreaterThan(50)
    await expect(registry.resolve('llm', 'openai')).rejects.toThrow(/entry point failed: entry module not found/)
  })
})
