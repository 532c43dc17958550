// Issue #9 — manifests: generated and mutated plugin.yaml files on disk never crash discovery.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { cleanupAll, SOAK, system, temp, watchUnhandled, write } from './helpers.js'

afterEach(cleanupAll)

type Kind = 'good' | 'bad' | 'mutated'
interface Case {
  kind: Kind
  text: string
}

const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,12}$/)
const anyText = fc.string({ unit: 'grapheme', maxLength: 40 })
const goodManifest = fc
  .record(
    {
      name: fc.oneof(word, anyText),
      version: fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map((v) => v.join('.')),
      description: anyText,
      author: word,
      license: fc.constantFrom('MIT', 'Apache-2.0'),
      hot_reload: fc.boolean(),
      x_unknown_field: fc.oneof(anyText, fc.integer(), fc.array(word, { maxLength: 3 })),
      default_config: fc.dictionary(word, fc.oneof(word, fc.integer(), fc.boolean()), { maxKeys: 3 }),
    },
    { requiredKeys: [] },
  )
  .map((m) => ({ ...m, entry_point: 'p.js:P' }))

// JSON is YAML; block style is what people write. Both are valid manifests.
const goodText = fc
  .tuple(goodManifest, fc.boolean())
  .map(([m, json]) =>
    json
      ? JSON.stringify(m, null, 1)
      : `entry_point: p.js:P\nname: ${JSON.stringify(m.name ?? 'x')}\nversion: "${m.version ?? '1.0.0'}"\ndescription: ${JSON.stringify(m.description ?? '')}\n`,
  )

const badText = fc.oneof(
  goodManifest.map(({ entry_point: _e, ...rest }) => JSON.stringify(rest)), // no entry_point
  fc.array(word, { maxLength: 4 }).map((a) => JSON.stringify(a)), // not a mapping
  word.map((w) => `entry_point: p.js:P\nname: {${w}: [\n`), // unterminated flow
  fc.integer().map((n) => `entry_point: [${n}, 2]\n`), // entry_point is not a string
  word.map((w) => `entry_point: p.js:P\n\t${w}: : :\n  - [\n`), // tabs and garbage
  fc.constant(''), // empty file
)

// random edits of a good text: the result may or may not be valid, but it must be listed or reported
const mutated = fc
  .tuple(
    goodText,
    fc.array(fc.tuple(fc.nat(), fc.nat(6), fc.string({ maxLength: 6 }), fc.constantFrom('insert', 'delete', 'replace')), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([text, edits]) => {
    let t = text
    for (const [at, len, s, op] of edits) {
      const i = t.length ? at % t.length : 0
      t =
        op === 'insert'
          ? t.slice(0, i) + s + t.slice(i)
          : op === 'delete'
            ? t.slice(0, i) + t.slice(i + len)
            : t.slice(0, i) + s + t.slice(i + s.length)
    }
    return t
  })

const aCase: fc.Arbitrary<Case> = fc.oneof(
  goodText.map((text) => ({ kind: 'good' as const, text })),
  badText.map((text) => ({ kind: 'bad' as const, text })),
  mutated.map((text) => ({ kind: 'mutated' as const, text })),
)

const perRun = SOAK ? 200 : 50
const runs = SOAK ? 50 : 4 // 200 files per CI run, 10,000 in soak

describe('manifests on disk (property)', () => {
  it(
    `discovers ${perRun * runs} generated and mutated manifests: good ones listed, bad ones reported naming the file, nothing thrown`,
    async () => {
      const { unhandled } = await watchUnhandled(() =>
        fc.assert(
          fc.asyncProperty(fc.array(aCase, { minLength: perRun, maxLength: perRun }), async (cases) => {
            const root = temp('pepperpy-manifests-')
            try {
              const files = cases.map((c, i) => {
                const dir = join(root, `t${i % 5}`, `p${i}`)
                write(join(dir, 'p.js'), 'export class P {}\n')
                return write(join(dir, 'plugin.yaml'), c.text)
              })
              const s = system({ paths: [root] })
              const report = await s.discoverPlugins()
              const listed = new Set(s.listPlugins().map((p) => `${p.type}/${p.provider}`))
              const errorsFor = (file: string) => report.diagnostics.filter((d) => d.file === file && d.severity === 'error')
              for (const d of report.diagnostics) expect(typeof d.message).toBe('string')
              cases.forEach((c, i) => {
                const id = `t${i % 5}/p${i}`
                const errors = errorsFor(files[i]!)
                if (c.kind === 'good') {
                  expect(errors, `${id} ${JSON.stringify(c.text)}`).toEqual([])
                  expect(listed.has(id), `${id} ${JSON.stringify(c.text)}`).toBe(true)
                } else if (c.kind === 'bad') {
                  expect(errors.length, `${id} ${JSON.stringify(c.text)}`).toBeGreaterThan(0)
                  expect(listed.has(id)).toBe(false)
                } else {
                  // a mutation that still parses may be listed (perhaps under the type/provider it now declares); otherwise reported
                  const declared = /^\s*"?(type|provider|plugin_type|provider_name)"?\s*:/m.test(c.text)
                  if (!declared) expect(listed.has(id) !== errors.length > 0, `${id} ${JSON.stringify(c.text)}`).toBe(true)
                  else expect(listed.has(id) || errors.length > 0 || report.diagnostics.some((d) => d.file === files[i])).toBe(true)
                }
              })
            } finally {
              rmSync(root, { recursive: true, force: true })
            }
          }),
          { numRuns: runs },
        ),
      )
      expect(unhandled).toEqual([])
    },
    SOAK ? 600_000 : 60_000,
  )

  it('bounds a YAML alias bomb ("billion laughs") with a clear diagnostic, and still lists the others', async () => {
    const root = temp()
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i)
      const name = String.fromCharCode(97 + i)
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`)
    }
    const bomb = write(join(root, 'llm', 'bomb', 'plugin.yaml'), `entry_point: p.js:P\n${levels.join('\n')}\n`)
    write(join(root, 'llm', 'ok', 'plugin.yaml'), 'entry_point: p.js:P\n')
    write(join(root, 'llm', 'ok', 'p.js'), 'export class P {}\n')
    const s = system({ paths: [root] })
    const { result: report, unhandled } = await watchUnhandled(() => s.discoverPlugins())
    expect(unhandled).toEqual([])
    const d = report.diagnostics.find((x) => x.file === bomb)
    expect(d?.severity).toBe('error')
    expect(d?.message).toMatch(/alias/i)
    expect(s.listPlugins().map((p) => `${p.type}/${p.provider}`)).toEqual(['llm/ok'])
  })

  it('refuses a manifest over 256 KB with a diagnostic giving the size and the limit', async () => {
    const root = temp()
    const huge = write(join(root, 'llm', 'huge', 'plugin.yaml'), `entry_point: p.js:P\ndescription: "${'x'.repeat(300 * 1024)}"\n`)
    write(join(root, 'llm', 'ok', 'plugin.yaml'), 'entry_point: p.js:P\n')
    const s = system({ paths: [root] })
    const report = await s.discoverPlugins()
    const d = report.diagnostics.find((x) => x.file === huge)
    expect(d?.severity).toBe('error')
    expect(d?.message).toMatch(/limit/)
    expect(d?.message).toContain(String(256 * 1024))
    expect(s.listPlugins().map((p) => p.provider)).toEqual(['ok'])
  })

  it('reports a manifest that is binary garbage or a folder named plugin.yaml without crashing', async () => {
    const root = temp()
    const garbage = write(join(root, 'llm', 'bin', 'plugin.yaml'), Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b, 0x5b, 0x3a, 0x0a, 0x00]))
    write(join(root, 'llm', 'dir', 'plugin.yaml', 'x'), 'x')
    write(join(root, 'llm', 'ok', 'plugin.yaml'), 'entry_point: p.js:P\n')
    const s = system({ paths: [root] })
    const { result: report, unhandled } = await watchUnhandled(() => s.discoverPlugins())
    expect(unhandled).toEqual([])
    expect(report.diagnostics.some((x) => x.file === garbage && x.severity === 'error')).toBe(true)
    expect(s.listPlugins().map((p) => p.provider)).toContain('ok')
    expect(s.listPlugins().map((p) => p.provider)).not.toContain('bin')
  })
})
