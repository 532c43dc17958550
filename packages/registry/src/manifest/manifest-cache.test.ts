import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { silentLogger } from '@pepperpy/plugin'
import { describe, expect, it } from 'vitest'
import { provider, useTempDirs, write } from '../__tests__/fixtures.js'
import { PluginRegistry } from '../plugin-registry.js'
import { ManifestCache, readManifestCached } from './manifest-cache.js'
import { readManifestFile } from './parse-manifest.js'

const temp = useTempDirs()
const repo = resolve(import.meta.dirname, '../../../..')
const fixtures = join(repo, 'test/fixtures/pepperpy-manifests')
const realRoots = [join(fixtures, 'plugins'), join(fixtures, 'assets', 'templates')]
const run = promisify(execFile)

/** Discovery in a separate node process (the registry's TypeScript sources through tsx): its distinct reports. */
async function child(roots: string[], cacheDir: string | false, runs = 1): Promise<string[]> {
  const script = join(import.meta.dirname, '../__tests__/discover-child.ts')
  const { stdout } = await run(
    process.execPath,
    ['--conditions=@pepperpy/source', '--import', 'tsx', script, JSON.stringify({ roots, cacheDir, runs })],
    {
      cwd: repo,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    },
  )
  return JSON.parse(stdout) as string[]
}

const registry = (roots: string[], cacheDir: string | false): PluginRegistry =>
  new PluginRegistry({ defaultPaths: false, paths: roots, cacheDir, logger: silentLogger })

function manifests(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...manifests(path))
    else if (name === 'plugin.yaml') out.push(path)
  }
  return out
}

/** Manifests that take every branch: errors, warnings, tagged values, numbers JSON cannot hold, prototypes. */
const odd: Record<string, string> = {
  'bad/yaml/plugin.yaml': 'entry_point: [unclosed\n',
  'dup/keys/plugin.yaml': 'entry_point: a.ts\nentry_point: b.ts\n',
  'empty/file/plugin.yaml': '',
  'list/doc/plugin.yaml': '- a\n- b\n',
  'nums/odd/plugin.yaml': 'entry_point: p.ts\ndefault_config: { a: .inf, b: -.inf, c: .nan, d: -0, e: 12345678901234567890 }\n',
  'proto/keys/plugin.yaml': 'entry_point: p.ts\n__proto__: { polluted: true }\ndefault_config: { __proto__: 1, constructor: 2 }\n',
  'anchors/ok/plugin.yaml': 'base: &b { x: 1 }\nentry_point: p.ts\ndefault_config: *b\n',
  'tags/set/plugin.yaml': 'entry_point: p.ts\ndefault_config: { s: !!set { a, b }, bin: !!binary aGVsbG8=, t: !!timestamp 2001-12-14 }\n',
  'schema/err/plugin.yaml': 'entry_point: 3\ntype: "a b"\ndependencies: [{ provider: x }]\nentry_piont: q\n',
  'unknown/tag/plugin.yaml': 'entry_point: !custom p.ts\n',
}

describe('ManifestCache', () => {
  it('gives exactly what readManifestFile gives, parsed now and taken from the cache, for the real manifests and odd ones', () => {
    const root = temp()
    write(root, odd)
    const files = [...manifests(fixtures), ...Object.keys(odd).map((f) => join(root, f))]
    expect(files.length).toBe(88 + Object.keys(odd).length)
    const dir = temp()
    const cold = new ManifestCache(dir, 'scope')
    for (const f of files) expect(readManifestCached(f, cold), f).toStrictEqual(readManifestFile(f))
    cold.flush()
    const warm = new ManifestCache(dir, 'scope')
    for (const f of files) expect(readManifestCached(f, warm), f).toStrictEqual(readManifestFile(f))
    // the entry for a text is what a warm read gives (proof it is used instead of parsing again)
    const cacheFile = join(dir, 'manifests', readdirSync(join(dir, 'manifests'))[0]!)
    const data = JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: Array<[string, unknown]> }
    const text = readFileSync(join(root, 'dup/keys/plugin.yaml'), 'utf8')
    const entry = data.entries.find(([t]) => t === text)!
    entry[1] = JSON.stringify({ value: { entry_point: 'from-cache.ts' }, diagnostics: [] })
    writeFileSync(cacheFile, JSON.stringify(data))
    expect(readManifestCached(join(root, 'dup/keys/plugin.yaml'), new ManifestCache(dir, 'scope')).parsed?.raw).toEqual({
      entry_point: 'from-cache.ts',
    })
    // a value handed out is the caller's own: changing it does not change the next read
    const first = readManifestCached(files[0]!, warm).parsed!.raw as Record<string, unknown>
    first['name'] = 'changed'
    expect(readManifestCached(files[0]!, warm)).toStrictEqual(readManifestFile(files[0]!))
  })

  it('trusts the entries the yaml library made only while yaml and semver are the files they were; its own parses are kept', () => {
    const root = temp()
    write(root, { 'plain/one/plugin.yaml': 'name: one\nentry_point: p.ts\n', 'dup/keys/plugin.yaml': odd['dup/keys/plugin.yaml']! })
    const files = ['plain/one/plugin.yaml', 'dup/keys/plugin.yaml'].map((f) => join(root, f))
    const dir = temp()
    const cold = new ManifestCache(dir, 'scope')
    for (const f of files) readManifestCached(f, cold)
    cold.flush()
    const cacheFile = join(dir, 'manifests', readdirSync(join(dir, 'manifests'))[0]!)
    const data = JSON.parse(readFileSync(cacheFile, 'utf8')) as { libs: string; entries: unknown[][] }
    expect(data.libs).toMatch(/yaml.*semver/)
    const byYaml = Object.fromEntries(data.entries.map((e) => [String(e[0]).split('\n')[0], e[2] === 1]))
    expect(byYaml).toEqual({ 'name: one': false, 'entry_point: a.ts': true }) // the parser's own code read the plain one
    for (const entry of data.entries) entry[1] = JSON.stringify({ value: { entry_point: 'from-cache.ts' }, diagnostics: [] })
    const served = (libs: string): unknown[] => {
      writeFileSync(cacheFile, JSON.stringify({ ...data, libs }))
      const cache = new ManifestCache(dir, 'scope')
      return files.map((f) => (readManifestCached(f, cache).parsed?.raw as { entry_point?: string } | undefined)?.entry_point)
    }
    expect(served(data.libs)).toEqual(['from-cache.ts', 'from-cache.ts'])
    // another yaml (or semver) installed: what yaml made is parsed again, the parser's own entries still hold
    expect(served(`${data.libs}|another`)).toEqual(['from-cache.ts', 'b.ts'])
  })

  it('discovery reports the same with the cache, from a warm cache, after deleting it, and without one', async () => {
    const root = temp()
    write(root, { ...odd, 'llm/echo/plugin.yaml': 'name: echo\nentry_point: provider.ts:Echo\n', 'llm/echo/provider.ts': provider('Echo') })
    const roots = [...realRoots, root]
    const dir = temp()
    const none = await registry(roots, false).discover()
    expect(none.diagnostics.length).toBeGreaterThan(50)
    expect(await registry(roots, dir).discover()).toStrictEqual(none)
    expect(readdirSync(join(dir, 'manifests'))).toHaveLength(1)
    expect(await registry(roots, dir).discover()).toStrictEqual(none)
    rmSync(dir, { recursive: true })
    expect(await registry(roots, dir).discover()).toStrictEqual(none)
    expect(await registry(roots, dir).discover()).toStrictEqual(none)
  })

  it('sees a changed manifest in the next registry and the next process, even at the same size and time', async () => {
    const root = temp()
    const file = join(root, 'llm/echo/plugin.yaml')
    write(root, { 'llm/echo/plugin.yaml': 'name: aaaa\nentry_point: provider.ts:Echo\n', 'llm/echo/provider.ts': provider('Echo') })
    const dir = temp()
    const name = async (): Promise<string | undefined> => (await registry([root], dir).discover()).plugins[0]?.name
    expect(await name()).toBe('aaaa')
    const { atime, mtime } = statSync(file)
    writeFileSync(file, 'name: bbbb\nentry_point: provider.ts:Echo\n')
    utimesSync(file, atime, mtime)
    expect(await name()).toBe('bbbb')
    writeFileSync(file, 'name: cccc\nentry_point: [broken\n')
    utimesSync(file, atime, mtime)
    const [report] = await child([root], dir)
    expect(JSON.parse(report!)).toMatchObject({ plugins: [], diagnostics: [{ file, severity: 'error' }] })
    expect(await registry([root], dir).discover()).toStrictEqual(await registry([root], false).discover())
  })

  it('treats a corrupt, truncated or foreign cache file as empty and replaces it', async () => {
    const dir = temp()
    const expected = await registry(realRoots, false).discover()
    await registry(realRoots, dir).discover()
    const file = join(dir, 'manifests', readdirSync(join(dir, 'manifests'))[0]!)
    const good = readFileSync(file, 'utf8')
    const data = JSON.parse(good) as { entries: Array<[string, unknown]> }
    const broken = [
      'not json',
      good.slice(0, good.length / 2),
      '',
      '{"format":999}',
      JSON.stringify({ ...data, entries: data.entries.map(([text]) => [text, ['?', 1]]) }),
      JSON.stringify({ ...data, entries: data.entries.map(([text]) => [text, ['t', ['o', 'value']]]) }),
      JSON.stringify({ ...data, entries: data.entries.map(([text]) => [text, '{"value": [1']) }),
      JSON.stringify({ ...data, entries: data.entries.map(([text]) => [text, '"just a string"']) }),
      JSON.stringify({ ...data, entries: 'nope' }),
    ]
    for (const text of broken) {
      writeFileSync(file, text)
      expect(await registry(realRoots, dir).discover(), text.slice(0, 40)).toStrictEqual(expected)
      expect(JSON.parse(readFileSync(file, 'utf8')).entries.length).toBe(data.entries.length)
      expect(await registry(realRoots, dir).discover()).toStrictEqual(expected)
    }
  })

  it('stays correct while two processes write it at once and a third keeps tearing it', async () => {
    const dir = temp()
    const expected = JSON.stringify(await registry(realRoots, false).discover())
    await registry(realRoots, dir).discover()
    const file = join(dir, 'manifests', readdirSync(join(dir, 'manifests'))[0]!)
    const good = readFileSync(file, 'utf8')
    let tearing = true
    const tear = (async () => {
      // a writer that does not rename: truncated copies of a good file, in place
      for (let i = 1; tearing; i++) {
        writeFileSync(file, good.slice(0, (i * 7919) % good.length))
        await new Promise((r) => setTimeout(r, 3))
      }
    })()
    const [a, b] = await Promise.all([child(realRoots, dir, 15), child(realRoots, dir, 15)])
    tearing = false
    await tear
    expect(a).toEqual([expected])
    expect(b).toEqual([expected])
    expect(await child(realRoots, dir, 2)).toEqual([expected])
  }, 180_000)
})
