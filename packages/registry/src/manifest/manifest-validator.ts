import { pluginManifestSchema } from '@pepperpy/plugin'
import type { Validate } from '../config/validator.js'
import { lazyRequire } from '../internal/lazy.js'
import { SCHEMA_JSON, validate as generated } from './manifest-validator.generated.js'

let chosen: Validate | undefined

/**
 * The manifest schema's validator: the ajv standalone code generated at build time, or (only when
 * the schema changed since it was generated) the schema compiled by ajv at run time with the same
 * options, so a stale generated file is slower, never wrong.
 */
export function manifestValidator(): Validate {
  if (chosen) return chosen
  if (JSON.stringify(pluginManifestSchema) === SCHEMA_JSON) chosen = generated as Validate
  else {
    const { Ajv } = lazyRequire<{ Ajv: new (o: Record<string, unknown>) => { compile(s: unknown): Validate } }>('ajv')
    chosen = new Ajv({ allErrors: true, strict: false }).compile(pluginManifestSchema)
  }
  return chosen
}
