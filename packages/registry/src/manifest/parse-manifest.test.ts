import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { useTempDirs, write } from '../__tests__/fixtures.js'
import { checkManifest, MAX_MANIFEST_BYTES, readManifestFile } from './parse-manifest.js'

const temp = useTempDirs()

const F = '/p/plugin.yaml'

describe('checkManifest', () => {
  it('keeps unknown fields in the raw manifest; null fields count as absent', () => {
    const { parsed, diagnostics } = checkManifest({ entry_point: 'p.ts:P', version: null, x_custom: { a: 1 } }, F)
    expect(diagnostics).toEqual([])
    expect(parsed?.raw).toEqual({ entry_point: 'p.ts:P', version: null, x_custom: { a: 1 } })
    expect('version' in parsed!.manifest).toBe(false)
    expect(parsed?.manifest['x_custom']).toEqual({ a: 1 })
  })

  it('warns "did you mean" for near misses of known fields', () => {
    const { parsed, diagnostics } = checkManifest(
      { entry_point: 'p.ts', 'entry-point': 'x', dependancies: [], hotreload: true, descripton: 'd' },
      F,
    )
    expect(parsed).toBeDefined()
    expect(diagnostics.map((d) => d.message)).toEqual([
      'unknown field "dependancies": did you mean "dependencies"?',
      'unknown field "hotreload": did you mean "hot_reload"?',
      'unknown field "descripton": did you mean "description"?',
    ])
    const missing = checkManifest({ entrypoint: 'p.ts' }, F).diagnostics
    expect(missing.map((d) => `${d.severity} ${d.field}`)).toEqual(['warning entrypoint', 'error entry_point'])
  })

  it('lists every bad field with what was found', () => {
    const { parsed, diagnostics } = checkManifest(
      { entry_point: 3, type: 'a/b', hot_reload: 'yes', dependencies: [{ provider: 'x' }, { type: 'llm', dependency_type: 'sometimes' }] },
      F,
    )
    expect(parsed).toBeUndefined()
    const byField = Object.fromEntries(diagnostics.map((d) => [d.field, d.message]))
    expect(byField['entry_point']).toBe('entry_point must be string (got number)')
    expect(byField['type']).toMatch(/^type must be a single name .*\(got "a\/b"\)/)
    expect(byField['hot_reload']).toBe('hot_reload must be boolean (got string)')
    expect(byField['dependencies.0']).toMatch(/must be \{type, provider\?/)
    expect(byField['dependencies.1']).toMatch(/must be \{type, provider\?/)
    expect(diagnostics.every((d) => d.file === F && d.severity === 'error')).toBe(true)
  })

  it("tolerates PepperPy's Python shapes with a warning: a provider mapping, package requirements, a dependencies mapping", () => {
    const a = checkManifest(
      {
        entry_point: 'provider.P',
        provider: { module: 'provider', class: 'P' },
        provider_name: 'nltk',
        dependencies: ['nltk>=3.8.1', 'embeddings/local', 'spacy[lookups] == 3.0'],
      },
      F,
    )
    expect(a.parsed?.manifest.provider).toBeUndefined()
    expect(a.parsed?.manifest.dependencies).toEqual(['embeddings/local'])
    expect(a.parsed?.raw.dependencies).toHaveLength(3)
    expect(a.diagnostics.map((d) => `${d.severity} ${d.field}`)).toEqual([
      'warning provider',
      'warning dependencies.0',
      'warning dependencies.2',
    ])
    const b = checkManifest({ entry_point: 'p.ts', dependencies: { python: ['nltk>=3.6.0'] } }, F)
    expect(b.parsed?.manifest.dependencies).toBeUndefined()
    expect(b.diagnostics[0]?.message).toMatch(/dependencies is a mapping \(python\)/)
  })

  it('drops __proto__, constructor and prototype fields with a warning', () => {
    const { parsed, diagnostics } = checkManifest(JSON.parse('{"entry_point":"p.ts","__proto__":{"polluted":1},"constructor":1}'), F)
    expect(parsed).toBeDefined()
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(diagnostics.map((d) => d.field)).toEqual(['__proto__', 'constructor'])
  })

  it('random manifests never throw: each validates or yields an error naming the file (property)', () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
    )
    const keys = fc.constantFrom(
      'name',
      'version',
      'entry_point',
      'type',
      'provider',
      'provider_name',
      'dependencies',
      'config_schema',
      'default_config',
      'hot_reload',
      'entrypoint',
      'pepperpy',
      '__proto__',
      'x',
    )
    fc.assert(
      fc.property(fc.oneof(fc.dictionary(keys, value), value), (doc) => {
        const { parsed, diagnostics } = checkManifest(doc, F)
        expect(diagnostics.every((d) => d.file === F && typeof d.message === 'string')).toBe(true)
        if (!parsed) expect(diagnostics.some((d) => d.severity === 'error')).toBe(true)
        else {
          expect(typeof parsed.manifest.entry_point).toBe('string')
          expect(Object.values(parsed.manifest)).not.toContain(null)
        }
      }),
      { numRuns: process.env['PEPPERPY_SOAK'] ? 10_000 : 500 },
    )
  })
})

describe('readManifestFile', () => {
  it('reports invalid YAML, an empty file, a list, and a file over the size cap', () => {
    const dir = temp()
    write(dir, {
      'bad.yaml': 'name: [unclosed\n',
      'empty.yaml': '',
      'list.yaml': '- a\n- b\n',
      'big.yaml': `entry_point: p.ts\ndescription: "${'x'.repeat(MAX_MANIFEST_BYTES)}"\n`,
    })
    expect(readManifestFile(join(dir, 'bad.yaml')).diagnostics[0]?.message).toMatch(/^invalid YAML: /)
    expect(readManifestFile(join(dir, 'empty.yaml')).diagnostics[0]?.message).toMatch(/an empty file/)
    expect(readManifestFile(join(dir, 'list.yaml')).diagnostics[0]?.message).toMatch(/got a list/)
    expect(readManifestFile(join(dir, 'big.yaml')).diagnostics[0]?.message).toMatch(new RegExp(`the limit is ${MAX_MANIFEST_BYTES}`))
    expect(readManifestFile(join(dir, 'missing.yaml')).diagnostics[0]?.message).toMatch(/manifest cannot be read: ENOENT/)
  })

  it('bounds alias expansion and says so', () => {
    const dir = temp()
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 10; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      )
    write(dir, { 'bomb.yaml': `entry_point: p.ts\n${levels.join('\n')}\n` })
    const [d] = readManifestFile(join(dir, 'bomb.yaml')).diagnostics
    expect(d).toMatchObject({ severity: 'error', message: expect.stringMatching(/alias/i) })
  })

  it('accepts duplicate keys as PyYAML did (last wins) with exactly one warning', () => {
    const dir = temp()
    write(dir, { 'dup.yaml': 'entry_point: a.ts\nname: one\nname: two\n' })
    const { parsed, diagnostics } = readManifestFile(join(dir, 'dup.yaml'))
    expect(parsed?.manifest.name).toBe('two')
    expect(diagnostics).toHaveLength(1)
    expect(diagnostics[0]?.message).toMatch(/duplicate key/)
  })

  it('random YAML text never throws: a manifest or an error naming the file (property)', () => {
    const dir = temp()
    const file = join(dir, 'plugin.yaml')
    const line = fc.oneof(
      fc.constantFrom(
        'entry_point: p.ts:P',
        'name: x',
        'type: llm',
        'provider: [a',
        'dependencies:',
        '  - a/b',
        '  - x>=1',
        'hot_reload: yes',
        '&a [1]',
        '*a',
        ': :',
        '\t- x',
        'config_schema: {type: object}',
      ),
      fc.string({ maxLength: 20 }),
    )
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        write(dir, { 'plugin.yaml': lines.join('\n') })
        const { parsed, diagnostics } = readManifestFile(file)
        if (!parsed) expect(diagnostics.some((d) => d.severity === 'error' && d.file === file)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })
})
