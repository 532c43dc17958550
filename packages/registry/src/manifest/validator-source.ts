/**
 * The source of `manifest-validator.generated.js`: ajv's standalone code for the manifest schema
 * (build-time compilation, so no process compiles the schema at run time). Used by the generate
 * script and by the test that proves the committed file is current; not part of the runtime.
 */
import { pluginManifestSchema } from '@pepperpy/plugin'
import { Ajv } from 'ajv'
import standalone from 'ajv/dist/standalone/index.js'

/** The ajv options the manifest validator is compiled with (manifest-validator.ts's fallback uses the same). */
const MANIFEST_AJV_OPTIONS: { allErrors: true; strict: false } = { allErrors: true, strict: false }

/** ajv runtime helpers the standalone code may require, and what replaces each (no ajv at run time). */
const RUNTIME: Record<string, string> = {
  // ajv's ucs2length: the length in code points, what JSON Schema's minLength/maxLength count
  'require("ajv/dist/runtime/ucs2length").default': '((s) => { let n = 0; for (const _ of s) n++; return n })',
}

/** The JavaScript text of the generated validator module for `schema` (its types: manifest-validator.generated.d.ts). */
export function manifestValidatorSource(schema: object = pluginManifestSchema): string {
  const ajv = new Ajv({ ...MANIFEST_AJV_OPTIONS, code: { source: true, esm: true } })
  type ToCode = (ajv: Ajv, validate: unknown) => string
  const mod = standalone as unknown as { default?: ToCode } & ToCode
  const toCode = mod.default ?? mod
  let code = toCode(ajv, ajv.compile(schema))
  for (const [from, to] of Object.entries(RUNTIME)) code = code.split(from).join(to)
  const left = /require\([^)]*\)/.exec(code)
  if (left) throw new Error(`the standalone manifest validator needs ${left[0]}; add a local replacement to RUNTIME in validator-source.ts`)
  return [
    '// Generated from @pepperpy/plugin pluginManifestSchema by ajv standalone (packages/registry/scripts/generate-manifest-validator.ts).',
    '// Do not edit: run `pnpm --filter @pepperpy/registry generate` after changing the schema (a test fails until then).',
    `export const SCHEMA_JSON = ${JSON.stringify(JSON.stringify(schema))}`,
    code.replace(/^"use strict";/, ''),
    '',
  ].join('\n')
}
