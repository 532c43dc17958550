import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { silentLogger } from '@pepperpy/plugin'
import { describe, expect, it } from 'vitest'
import { readManifestFile } from '../src/manifest/parse-manifest.js'
import { parseYaml } from '../src/manifest/parse-yaml.js'
import { PluginRegistry } from '../src/plugin-registry.js'
import { useTempDirs } from '../src/__tests__/fixtures.js'
import { reference, suiteCases, verdictOf } from './yaml-reference.js'

const cases = suiteCases()
const folder = (id: string): string => `c${id.replace('/', '-')}`

describe('the yaml-test-suite (vendored, MIT)', () => {
  const temp = useTempDirs()

  it('holds every case of the suite, its 20 multi-document streams among them', () => {
    expect(cases.length).toBe(402)
    expect(cases.filter((c) => c.documents > 1)).toHaveLength(20)
  })

  it.each(cases.map((c) => [`${c.id} ${c.name}`, c] as const))('%s: the parser gives yaml’s value and verdict', (_, c) => {
    const expected = reference(c.yaml)
    const got = verdictOf(parseYaml(c.yaml, 'plugin.yaml'))
    expect(got).toEqual(expected)
    // the cached second read is the same answer
    expect(verdictOf(parseYaml(c.yaml, 'plugin.yaml'))).toEqual(expected)
  })

  it('every multi-document stream is an error diagnostic, also the valid ones of the suite', () => {
    for (const c of cases.filter((x) => x.documents > 1)) {
      const result = parseYaml(c.yaml, 'plugin.yaml')
      expect(result, c.id).not.toHaveProperty('value')
      expect(result.diagnostics[0], c.id).toMatchObject({
        severity: 'error',
        file: 'plugin.yaml',
        message: expect.stringMatching(/YAML documents/),
      })
    }
  })

  it('through the public path: each case as a real plugin.yaml gives the same verdict from discover() and the same value from readManifestFile()', async () => {
    const root = temp()
    const files = new Map<string, (typeof cases)[number]>()
    for (const c of cases) {
      const dir = join(root, 'suite', folder(c.id))
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'plugin.yaml'), c.yaml)
      files.set(join(dir, 'plugin.yaml'), c)
    }
    const report = await new PluginRegistry({ defaultPaths: false, paths: [root], logger: silentLogger }).discover()
    for (const [file, c] of files) {
      const expected = reference(c.yaml)
      const yamlErrors = report.diagnostics.filter(
        (d) => d.file === file && d.severity === 'error' && /^invalid (YAML|manifest: the file holds)/.test(d.message),
      )
      if (expected.kind === 'ok') expect(yamlErrors, c.id).toEqual([])
      else expect(yamlErrors, c.id).toHaveLength(1)
      const read = readManifestFile(file)
      if (expected.kind === 'ok' && read.parsed) expect(read.parsed.raw, c.id).toEqual(expected.value)
      if (expected.kind !== 'ok') expect(read.parsed, c.id).toBeUndefined()
    }
  })
})
