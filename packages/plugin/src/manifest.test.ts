import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { pluginManifestSchema } from './manifest.js'

const validate = new Ajv({ allErrors: true, strict: false }).compile(pluginManifestSchema)
const fixtures = resolve(import.meta.dirname, '../../../test/fixtures/pepperpy-manifests')

function manifests(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return manifests(p)
    return name === 'plugin.yaml' ? [p] : []
  })
}

describe('pluginManifestSchema', () => {
  it("accepts the seed's example manifest", () => {
    const seed = parse(`name: OpenAI LLM Provider
version: 1.0.0
description: Provider for OpenAI language models
author: PepperPy Team
license: MIT
entry_point: provider:OpenAIProvider
`)
    expect(validate(seed)).toBe(true)
  })

  it('accepts the real PepperPy fields and keeps unknown ones legal', () => {
    const m = {
      name: 'llm/openai',
      version: '0.1.0',
      plugin_type: 'llm',
      provider_name: 'openai',
      category: 'provider',
      entry_point: 'provider.ts:OpenAIProvider',
      config_schema: { type: 'object', properties: { model: { type: 'string' } } },
      default_config: { model: 'gpt-4' },
      required_config_keys: ['api_key'],
      pepperpy_compatibility: '>=0.1.0',
      min_framework_version: '0.1.0',
      examples: [{ name: 'x' }],
      documentation: { usage: 'y' },
      hot_reload: true,
      dependencies: [{ type: 'embeddings', provider: 'hash', dependency_type: 'optional' }, 'storage/local'],
    }
    expect(validate(m)).toBe(true)
  })

  it('rejects a manifest without entry_point, naming the field', () => {
    expect(validate({ name: 'x', version: '1.0.0' })).toBe(false)
    expect(JSON.stringify(validate.errors)).toContain('entry_point')
  })

  it('rejects wrong types and bad dependency types', () => {
    expect(validate({ entry_point: 'p:X', hot_reload: 'yes' })).toBe(false)
    expect(validate({ entry_point: 'p:X', dependencies: [{ type: 'a', dependency_type: 'sometimes' }] })).toBe(false)
    expect(validate({ entry_point: '' })).toBe(false)
  })

  it('accepts the 80 well-formed real PepperPy manifests and rejects the rest for a named reason', () => {
    const files = manifests(fixtures)
    expect(files).toHaveLength(88)
    let ok = 0
    const rejected: string[] = []
    for (const file of files) {
      let doc: unknown
      try {
        doc = parse(readFileSync(file, 'utf8'))
      } catch {
        rejected.push(`${file}: yaml`)
        continue
      }
      // a field given as null counts as absent (DESIGN decision 8)
      const present = Object.fromEntries(Object.entries(doc as object).filter(([, v]) => v !== null))
      if (validate(present)) ok++
      else rejected.push(`${file}: ${validate.errors?.[0]?.instancePath}`)
    }
    expect(ok).toBeGreaterThanOrEqual(80)
    expect(ok + rejected.length).toBe(88)
  })
})
