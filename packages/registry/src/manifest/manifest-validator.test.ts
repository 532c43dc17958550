import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pluginManifestSchema } from '@pepperpy/plugin'
import { Ajv } from 'ajv'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { validate as generated } from './manifest-validator.generated.js'
import { manifestValidator } from './manifest-validator.js'
import { parseYaml } from './parse-yaml.js'
import { manifestValidatorSource } from './validator-source.js'

const repo = resolve(import.meta.dirname, '../../../..')
/** The 88 real PepperPy manifests, vendored in the repository. */
const fixtures = join(repo, 'test/fixtures/pepperpy-manifests')

function manifests(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...manifests(path))
    else if (name === 'plugin.yaml') out.push(path)
  }
  return out
}

const runtime = new Ajv({ allErrors: true, strict: false }).compile(pluginManifestSchema)
const verdict = (v: typeof runtime, doc: unknown): unknown => [v(doc), v.errors ?? null]

describe('the generated manifest validator', () => {
  it('is the current ajv standalone code of the schema (run `pnpm --filter @pepperpy/registry generate` when this fails)', () => {
    const committed = readFileSync(new URL('./manifest-validator.generated.js', import.meta.url), 'utf8')
    expect(committed).toBe(manifestValidatorSource())
    expect(manifestValidator()).toBe(generated)
  })

  it('gives the same verdict and errors as the schema compiled at run time on the real manifests', () => {
    const files = manifests(fixtures)
    expect(files).toHaveLength(88)
    for (const file of files) {
      const doc = parseYaml(readFileSync(file, 'utf8'), file).value
      expect(verdict(generated as typeof runtime, doc), file).toEqual(verdict(runtime, doc))
    }
  })

  it('agrees with the run-time validator on generated manifests, valid and broken', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,8}$/)
    const anyValue = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }))
    const dep = fc.oneof(
      name,
      fc.string(),
      fc.record(
        {
          type: fc.oneof(name, anyValue),
          provider: fc.oneof(name, anyValue),
          dependency_type: fc.oneof(fc.constantFrom('required', 'optional', 'runtime', 'enhances'), anyValue),
        },
        { requiredKeys: [] },
      ),
      anyValue,
    )
    const manifest = fc.record(
      {
        name: fc.oneof(fc.string(), anyValue),
        entry_point: fc.oneof(fc.constantFrom('provider.ts:P', '', 'p.mjs', '\u{1F600}'), anyValue),
        type: fc.oneof(name, anyValue),
        provider: fc.oneof(name, anyValue),
        dependencies: fc.oneof(fc.array(dep, { maxLength: 3 }), anyValue),
        config_schema: fc.oneof(fc.constant({ type: 'object' }), anyValue),
        required_config_keys: fc.oneof(fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 2 }), anyValue),
        hot_reload: fc.oneof(fc.boolean(), anyValue),
        extra_field: anyValue,
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(fc.oneof(manifest, anyValue), (doc) => {
        expect(verdict(generated as typeof runtime, doc)).toEqual(verdict(runtime, doc))
      }),
      { numRuns: 2000, seed: 17 },
    )
  })
})
