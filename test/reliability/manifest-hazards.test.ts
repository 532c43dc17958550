// Over 300 lines: one hazard per test, each self-contained (the table in docs/reliability.md indexes them).
// Issue 14 (decisions 17, 19, 20, 21 in docs/decisions.md) and the registry side of issue 16: each hazard as a test
// through the public API (real files, a real FIFO, real symlinks).
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, ManifestError, PepperpyError, PepperpyPlugin, PluginNotFoundError, PluginRegistry } from '@pepperpy/plugins'
import { afterEach, describe, expect, it } from 'vitest'
import { capture, cleanupAll, system, temp, write } from './helpers.js'

afterEach(cleanupAll)

const PROVIDER = "import { PepperpyPlugin } from '@pepperpy/plugin'\nexport class P extends PepperpyPlugin {}\n"

/** A root with a good `llm/ok` plugin, and `files` (path under the root -> text) beside it. */
function rootWith(files: Record<string, string> = {}): string {
  const root = temp()
  write(join(root, 'llm', 'ok', 'plugin.yaml'), 'entry_point: provider.ts:P\n')
  write(join(root, 'llm', 'ok', 'provider.ts'), PROVIDER)
  for (const [rel, text] of Object.entries(files)) write(join(root, rel), text)
  return root
}

const ids = (s: { listPlugins(): { type: string; provider: string }[] }) => s.listPlugins().map((p) => `${p.type}/${p.provider}`)

describe('decision 19: only regular files, bounded; OS errors stay with their plugin', () => {
  it('a FIFO named plugin.yaml is refused without hanging; /dev/zero linked as plugin.yaml is refused without reading it', async () => {
    const root = rootWith()
    mkdirSync(join(root, 'llm', 'fifo'), { recursive: true })
    execFileSync('mkfifo', [join(root, 'llm', 'fifo', 'plugin.yaml')])
    mkdirSync(join(root, 'llm', 'zero'), { recursive: true })
    symlinkSync('/dev/zero', join(root, 'llm', 'zero', 'plugin.yaml'))
    const s = system({ paths: [root] })
    const report = await s.discoverPlugins()
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({
        file: join(root, 'llm', 'fifo', 'plugin.yaml'),
        severity: 'error',
        message: expect.stringMatching(/not a regular file \(a FIFO\)/),
      }),
    )
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({
        file: join(root, 'llm', 'zero', 'plugin.yaml'),
        severity: 'error',
        message: expect.stringMatching(/not a regular file \(a character device\)/),
      }),
    )
    expect(ids(s)).toEqual(['llm/ok'])
    await expect(s.createProviderInstance('llm', 'fifo')).rejects.toMatchObject({ code: 'MANIFEST_INVALID' })
    expect(await s.createProviderInstance('llm', 'ok')).toBeInstanceOf(PepperpyPlugin)
  })

  it.each([
    ['a NUL byte', 'entry_point: "provider.ts\\0:P"\n', /NUL byte/],
    ['a 300-character path (ENAMETOOLONG)', `entry_point: "${'a'.repeat(300)}.ts:P"\n`, /ENAMETOOLONG/],
    ['provider.ts/MyPlugin (a "/" typed for the ":")', 'entry_point: provider.ts/MyPlugin\n', /did you mean "provider\.ts:MyPlugin"\?/],
  ])('an entry point with %s is a diagnostic of that plugin; the others still load', async (_, manifest, message) => {
    const root = rootWith({ 'llm/bad/plugin.yaml': manifest, 'llm/bad/provider.ts': PROVIDER })
    const s = system({ paths: [root] })
    const report = await s.discoverPlugins()
    const file = join(root, 'llm', 'bad', 'plugin.yaml')
    expect(
      report.diagnostics
        .filter((d) => d.file === file)
        .map((d) => d.message)
        .join('\n'),
    ).toMatch(message)
    expect(await s.createProviderInstance('llm', 'ok')).toBeInstanceOf(PepperpyPlugin)
    await expect(s.createProviderInstance('llm', 'bad')).rejects.toSatisfy((e: unknown) => PepperpyError.is(e))
  })

  it('a circular alias (&a [*a]) and 50,000 nested brackets are errors of their own files; the process stays up and the rest loads', async () => {
    // both were found by the 1,000,000-case differential soak: a circular value overflowed the
    // stack in the copy made for callers, and deep nesting can exhaust V8's stack inside `yaml`
    const deep = `entry_point: provider.ts:P\nconfig_schema: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`
    const root = rootWith({
      'llm/loop/plugin.yaml': 'entry_point: provider.ts:P\ndefault_config: &a { self: *a }\n',
      'llm/loop/provider.ts': PROVIDER,
      'llm/self/plugin.yaml': '&doc\nentry_point: provider.ts:P\ndocumentation: *doc\n',
      'llm/self/provider.ts': PROVIDER,
      'llm/deep/plugin.yaml': deep,
      'llm/deep/provider.ts': PROVIDER,
      'llm/shared/plugin.yaml': 'entry_point: provider.ts:P\ndefault_config: &d { model: m }\ndocumentation: { defaults: *d }\n',
      'llm/shared/provider.ts': PROVIDER,
    })
    const s = system({ paths: [root] })
    const report = await s.discoverPlugins()
    const errorOf = (name: string) =>
      report.diagnostics.find((d) => d.severity === 'error' && d.file === join(root, 'llm', name, 'plugin.yaml'))?.message
    expect(errorOf('loop')).toMatch(/refers to a node that contains it, which makes a circular value/)
    expect(errorOf('self')).toMatch(/circular value/)
    expect(errorOf('deep')).toMatch(/nested 50000 levels deep \(at most 200\)/)
    expect(errorOf('shared')).toBeUndefined() // an alias used twice, not inside itself, is fine
    expect(ids(s).sort()).toEqual(['llm/ok', 'llm/shared'])
    await expect(s.createProviderInstance('llm', 'loop')).rejects.toThrow(ManifestError)
  })

  it('an entry point through a symlink loop (ELOOP) is a diagnostic of that plugin', async () => {
    const root = rootWith({ 'llm/loop/plugin.yaml': 'entry_point: loop/x.ts:P\n' })
    symlinkSync('loop', join(root, 'llm', 'loop', 'loop'))
    const s = system({ paths: [root] })
    const report = await s.discoverPlugins()
    expect(report.diagnostics.find((d) => d.file === join(root, 'llm', 'loop', 'plugin.yaml'))?.message).toMatch(/ELOOP/)
    expect(await s.createProviderInstance('llm', 'ok')).toBeInstanceOf(PepperpyPlugin)
  })

  it('invalid semver ranges are error diagnostics; min_framework_version is enforced', async () => {
    const root = rootWith({
      'llm/range/plugin.yaml': 'entry_point: provider.ts:P\npepperpy: "not a range"\n',
      'llm/future/plugin.yaml': 'entry_point: provider.ts:P\nmin_framework_version: ">=9.0.0"\n',
      'llm/newer/plugin.yaml': 'entry_point: provider.ts:P\nmin_framework_version: 9.0.0\n',
      'llm/minbad/plugin.yaml': 'entry_point: provider.ts:P\nmin_framework_version: soon\n',
      'llm/dep/plugin.yaml': 'entry_point: provider.ts:P\ndependencies:\n  - type: llm\n    provider: ok\n    version: blerg\n',
    })
    for (const p of ['range', 'future', 'newer', 'minbad', 'dep']) write(join(root, 'llm', p, 'provider.ts'), PROVIDER)
    const report = await system({ paths: [root] }).discoverPlugins()
    const error = (p: string) => report.diagnostics.find((d) => d.file === join(root, 'llm', p, 'plugin.yaml') && d.severity === 'error')
    expect(error('range')).toMatchObject({ field: 'pepperpy', message: 'pepperpy "not a range" is not a semver range' })
    expect(error('future')).toMatchObject({
      field: 'min_framework_version',
      message: expect.stringMatching(/requires @pepperpy >=9\.0\.0, but this host is/),
    })
    expect(error('newer')).toMatchObject({
      field: 'min_framework_version',
      message: expect.stringMatching(/requires @pepperpy >= 9\.0\.0/),
    })
    expect(error('minbad')).toMatchObject({
      field: 'min_framework_version',
      message: 'min_framework_version "soon" is not a semver version (e.g. "0.1.0")',
    })
    expect(error('dep')).toMatchObject({
      field: 'dependencies.0.version',
      message: expect.stringMatching(/"blerg", which is not a semver range/),
    })
    expect(report.plugins.map((p) => p.provider)).toEqual(['ok'])
  })

  it("an invalid hostVersion ('1.0') is an error when the registry is created", () => {
    expect(() => new PluginRegistry({ hostVersion: '1.0' })).toThrow(/hostVersion "1\.0" is not a semver version/)
    expect(() => new PluginRegistry({ hostVersion: '1.0.0' })).not.toThrow()
  })

  it('a config_schema pattern that backtracks exponentially runs in linear time; an unsupported one is refused at discovery', async () => {
    const root = rootWith({
      'llm/redos/plugin.yaml':
        'entry_point: provider.ts:P\nconfig_schema:\n  type: object\n  properties:\n    name: { type: string, pattern: "^(a+)+$" }\n',
      'llm/backref/plugin.yaml':
        'entry_point: provider.ts:P\nconfig_schema:\n  type: object\n  properties:\n    name: { type: string, pattern: "^(a)\\\\1$" }\n',
      'llm/redos/provider.ts': PROVIDER,
      'llm/backref/provider.ts': PROVIDER,
    })
    const s = system({ paths: [root] })
    const report = await s.discoverPlugins()
    expect(report.diagnostics.find((d) => d.file === join(root, 'llm', 'backref', 'plugin.yaml'))).toMatchObject({
      severity: 'error',
      field: 'config_schema.properties.name.pattern',
      message: expect.stringMatching(/cannot be matched in linear time/),
    })
    // 21 s with a backtracking engine on 28 characters; RE2 answers at once even for 100,000
    const t0 = performance.now()
    const error = await s.createProviderInstance('llm', 'redos', { name: `${'a'.repeat(100_000)}!` }).catch((e: unknown) => e)
    const elapsed = performance.now() - t0
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).message).toMatch(/name: must match pattern/)
    expect(elapsed).toBeLessThan(10_000) // generous: the point is "not exponential", not a speed claim
    expect(await s.createProviderInstance('llm', 'redos', { name: 'aaaa' })).toBeInstanceOf(PepperpyPlugin)
  })
})

describe('decision 20: names', () => {
  it.each([['..'], ['a b'], ['a\\b'], ['a\0b'], ['x'.repeat(65)], ['-lead'], ['']])('registerPlugin refuses %j with a message', (name) => {
    const s = system()
    expect(() => s.registerPlugin('llm', name, class extends PepperpyPlugin {})).toThrow(/is not a valid name: use 1 to 64 letters/)
    expect(() => s.registerPlugin(name, 'x', class extends PepperpyPlugin {})).toThrow(/is not a valid name/)
  })

  it('folder and manifest names are checked too (a 300-character provider, a space)', async () => {
    const long = 'p'.repeat(300)
    const root = rootWith({
      [`llm/${long.slice(0, 200)}/plugin.yaml`]: 'entry_point: provider.ts:P\n',
      'llm/spaced name/plugin.yaml': 'entry_point: provider.ts:P\n',
      'llm/declared/plugin.yaml': `entry_point: provider.ts:P\nprovider: ${long}\n`,
    })
    const s = system({ paths: [root] })
    const report = await s.discoverPlugins()
    const errors = report.diagnostics.filter((d) => d.severity === 'error')
    expect(errors.find((d) => d.file === join(root, 'llm', 'spaced name', 'plugin.yaml'))?.message).toMatch(
      /provider "spaced name" is not a valid name.*folder name/,
    )
    expect(errors.find((d) => d.file === join(root, 'llm', 'declared', 'plugin.yaml'))?.message).toMatch(
      /\(300 characters\) is not a valid name.*from provider/,
    )
    expect(errors.find((d) => d.file === join(root, 'llm', long.slice(0, 200), 'plugin.yaml'))).toBeDefined()
    expect(ids(s)).toEqual(['llm/ok'])
  })

  it('providers whose environment prefixes coincide cannot both be registered; the second is refused naming the first', () => {
    const s = system()
    s.registerPlugin('llm', 'open-ai', class extends PepperpyPlugin {})
    for (const twin of ['open_ai', 'openAi', 'open.ai', 'OPEN_AI'])
      expect(() => s.registerPlugin('llm', twin, class extends PepperpyPlugin {})).toThrow(
        /llm\/open-ai is already registered and reads the same environment variables \(PEPPERPY_LLM__OPEN_AI__\*\)/,
      )
    s.registerPlugin('llm', 'open-ai', class extends PepperpyPlugin {}) // the same id again is a replacement, not a twin
  })

  it('discovered twins: the second is refused with an error naming the first', async () => {
    const root = temp()
    for (const p of ['open-ai', 'open_ai']) {
      write(join(root, 'llm', p, 'plugin.yaml'), 'entry_point: provider.ts:P\n')
      write(join(root, 'llm', p, 'provider.ts'), PROVIDER)
    }
    const s = system({ paths: [root] })
    const report = await s.discoverPlugins()
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({
        file: join(root, 'llm', 'open_ai', 'plugin.yaml'),
        severity: 'error',
        message: expect.stringMatching(/llm\/open_ai reads the same environment variables \(PEPPERPY_LLM__OPEN_AI__\*\) as llm\/open-ai/),
      }),
    )
    expect(ids(s)).toEqual(['llm/open-ai'])
  })
})

describe('decision 21: impostors', () => {
  /** An app folder with plugin packages `names`, each declaring llm/openai. */
  function app(names: string[], prefer?: Record<string, string>): string {
    const dir = temp()
    write(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'app',
        dependencies: Object.fromEntries(names.map((n) => [n, '1.0.0'])),
        ...(prefer ? { pepperpy: { prefer } } : {}),
      }),
    )
    for (const n of names) {
      const pkg = join(dir, 'node_modules', n)
      write(join(pkg, 'package.json'), JSON.stringify({ name: n, version: '1.0.0', pepperpy: { plugins: ['plugin.yaml'] } }))
      write(join(pkg, 'plugin.yaml'), `type: llm\nprovider: openai\nentry_point: provider.ts:P\n`)
      write(join(pkg, 'provider.ts'), PROVIDER)
    }
    return dir
  }

  it('two packages declaring llm/openai are both refused with an error naming both', async () => {
    const dir = app(['pepperpy-openai', 'evil-openai'])
    const s = system({ defaultPaths: true, cwd: dir, env: { OPENAI_API_KEY: 'sk-secret' } })
    const report = await s.discoverPlugins()
    const errors = report.diagnostics.filter((d) => d.severity === 'error')
    expect(errors).toHaveLength(2)
    for (const e of errors)
      expect(e.message).toMatch(
        /llm\/openai is declared by several packages \(evil-openai, pepperpy-openai\); all were refused: choose one in .*package\.json: "pepperpy": \{ "prefer"/,
      )
    await expect(s.createProviderInstance('llm', 'openai')).rejects.toBeInstanceOf(ManifestError)
  })

  it('the app chooses one with "pepperpy": { "prefer": { "llm/openai": "<package>" } }, also from a subfolder', async () => {
    const dir = app(['pepperpy-openai', 'evil-openai'], { 'llm/openai': 'pepperpy-openai' })
    mkdirSync(join(dir, 'src', 'deep'), { recursive: true })
    for (const cwd of [dir, join(dir, 'src', 'deep')]) {
      const s = system({ defaultPaths: true, cwd })
      const report = await s.discoverPlugins()
      expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
      expect(report.plugins.find((p) => p.provider === 'openai')?.manifestPath).toBe(
        join(dir, 'node_modules', 'pepperpy-openai', 'plugin.yaml'),
      )
    }
  })

  it('shadowing between roots is logged as a warning naming both files', async () => {
    const a = rootWith()
    const b = rootWith()
    const logger = capture()
    const s = system({ paths: [a, b], logger })
    s.listPlugins()
    s.listPlugins()
    const lines = logger.lines.filter((l) => l.includes('is defined twice'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(join(a, 'llm', 'ok', 'plugin.yaml'))
    expect(lines[0]).toContain(join(b, 'llm', 'ok', 'plugin.yaml'))
  })
})

describe('decision 17: a broken manifest is never "not found"', () => {
  it.each([
    ['the typo entrypoint', 'entrypoint: provider.ts:P\n', 'entry_point', /entry_point is required/],
    ['bad YAML', 'entry_point: [provider.ts:P\n', undefined, /invalid YAML/],
    ['an escaping entry_point', 'entry_point: ../../ok/provider.ts:P\n', 'entry_point', /escapes the plugin folder/],
    [
      'a bad dependency_type',
      'entry_point: provider.ts:P\ndependencies:\n  - type: llm\n    dependency_type: sometimes\n',
      'dependencies.0.dependency_type',
      /must be one of/,
    ],
  ])('%s: createProviderInstance throws ManifestError naming file, field and reason', async (_, text, field, reason) => {
    const root = rootWith({ 'llm/x/plugin.yaml': text, 'llm/x/provider.ts': PROVIDER })
    const logger = capture()
    const s = system({ paths: [root], logger })
    const error = (await s.createProviderInstance('llm', 'x').catch((e: unknown) => e)) as ManifestError
    expect(error).toBeInstanceOf(ManifestError)
    expect(error.code).toBe('MANIFEST_INVALID')
    expect(error.file).toBe(join(root, 'llm', 'x', 'plugin.yaml'))
    if (field) expect(error.field).toBe(field)
    expect(error.message).toContain(join(root, 'llm', 'x', 'plugin.yaml'))
    expect(error.message).toMatch(reason)
    // logged once per file as a warning, without calling discoverPlugins()
    await s.createProviderInstance('llm', 'x').catch(() => {})
    await s.discoverPlugins()
    expect(logger.lines.filter((l) => l.startsWith('warn') && l.includes(join(root, 'llm', 'x', 'plugin.yaml')))).toHaveLength(1)
  })

  it('a refused manifest of a plugin package also throws ManifestError, naming the package.json field', async () => {
    const dir = temp()
    write(join(dir, 'package.json'), JSON.stringify({ name: 'app', dependencies: { 'pp-x': '1.0.0' } }))
    write(
      join(dir, 'node_modules', 'pp-x', 'package.json'),
      JSON.stringify({ name: 'pp-x', pepperpy: { plugins: [{ type: 'llm', provider: 'pkgx', entrypoint: 'p.ts:P' }] } }),
    )
    const error = (await system({ defaultPaths: true, cwd: dir })
      .createProviderInstance('llm', 'pkgx')
      .catch((e: unknown) => e)) as ManifestError
    expect(error).toBeInstanceOf(ManifestError)
    expect(error.file).toBe(join(dir, 'node_modules', 'pp-x', 'package.json'))
    expect(error.field).toBe('pepperpy.plugins[0].entry_point')
  })

  it('not found: the roots searched, the known providers and the closest id; also for a misspelled type', async () => {
    const root = rootWith()
    const s = system({ paths: [root] })
    const error = (await s.createProviderInstance('llm', 'okk').catch((e: unknown) => e)) as PluginNotFoundError
    expect(error).toBeInstanceOf(PluginNotFoundError)
    expect(error.message).toMatch(/Did you mean llm\/ok\?/)
    expect(error.message).toContain('Known llm providers: ok.')
    expect(error.message).toContain(`Searched: ${root}.`)
    const typo = (await s.createProviderInstance('lm', 'ok').catch((e: unknown) => e)) as PluginNotFoundError
    expect(typo.message).toMatch(/Did you mean llm\/ok\?/)
    expect(typo.message).toContain('No lm providers are known.')
  })

  it("createProviderInstance('llm/ok') is accepted; 'llm' alone says what to write (never llm/undefined)", async () => {
    const s = system({ paths: [rootWith()] })
    expect((await s.createProviderInstance('llm/ok')).pluginId).toBe('llm/ok')
    const missing = await s.createProviderInstance('llm/nope').catch((e: unknown) => e)
    expect(String(missing)).toContain('plugin "llm/nope" not found')
    expect(String(missing)).not.toContain('undefined')
    await expect((s.createProviderInstance as (t: string) => Promise<unknown>)('llm')).rejects.toThrow(
      /no provider given; write createProviderInstance\('llm', '<provider>'\)/,
    )
  })
})

describe('issue 16 (registry side): config keys', () => {
  const schema =
    'entry_point: provider.ts:P\nconfig_schema:\n  type: object\n  properties:\n    model: { type: string }\n    api_key: { type: string }\n  required: [api_key]\n'

  it('an unknown config key warns with a did-you-mean; strictConfig makes it a ConfigError', async () => {
    const root = rootWith({
      'llm/cfg/plugin.yaml': schema,
      'llm/cfg/provider.ts': "import { PepperpyPlugin } from '@pepperpy/plugin'\nexport class P extends PepperpyPlugin { model = 'm' }\n",
    })
    const logger = capture()
    const s = system({ paths: [root], logger })
    await s.createProviderInstance('llm', 'cfg', { api_key: 'k', modle: 'x' })
    expect(logger.text()).toContain(
      'config of plugin "llm/cfg": modle is not a config key of this plugin; did you mean "model"? (it is ignored)',
    )
    const strict = system({ paths: [root], strictConfig: true })
    const error = await strict.createProviderInstance('llm', 'cfg', { api_key: 'k', modle: 'x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).message).toContain('modle: is not a config key of this plugin; did you mean "model"?')
  })

  it('a required key names its environment variables', async () => {
    const root = rootWith({ 'llm/openai/plugin.yaml': schema, 'llm/openai/provider.ts': PROVIDER })
    const error = await system({ paths: [root] })
      .createProviderInstance('llm', 'openai')
      .catch((e: unknown) => e)
    expect(String((error as Error).message)).toContain(
      'api_key: is required (pass it, or set PEPPERPY_LLM__OPENAI__API_KEY or OPENAI_API_KEY)',
    )
  })
})
