import type { Diagnostic, PluginManifest } from '@pepperpy/plugin'
import { didYouMean, isUnsafeKey, knownManifestFields } from '@pepperpy/plugin/spi'
import { tolerateLegacy } from './legacy.js'
import { manifestValidator } from './manifest-validator.js'
import { parseYaml } from './parse-yaml.js'
import { readRegularFile } from './read-file.js'

/** Manifests larger than this are refused (a plugin.yaml is a few KB). */
export const MAX_MANIFEST_BYTES: number = 256 * 1024

/** A manifest that parsed and validated, with what was found wrong but tolerable. */
export interface ParsedManifest {
  /** The manifest as written (unknown fields kept). */
  raw: PluginManifest
  /** The manifest with `null` fields removed (what the registry uses). */
  manifest: PluginManifest
  diagnostics: Diagnostic[]
}

interface AjvError {
  instancePath: string
  message?: string
  params: Record<string, unknown>
  keyword: string
}
const validator = manifestValidator

function fieldOf(error: AjvError): string {
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.')
  if (error.keyword === 'required') return String(error.params['missingProperty'])
  return path || '(root)'
}

/** The value at an ajv instance path (`/dependencies/0`) of `doc`. */
function valueAt(doc: unknown, instancePath: string): unknown {
  let v = doc
  for (const part of instancePath.split('/').slice(1))
    v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[part] : undefined
  return v
}

function describeError(e: AjvError, doc: unknown): string {
  if (e.keyword === 'required')
    return e.params['missingProperty'] === 'entry_point'
      ? 'is required: add entry_point: "<module>:<export>", e.g. provider.ts:MyPlugin'
      : 'is required'
  if (e.keyword === 'anyOf') return 'must be {type, provider?, dependency_type?, version?} or "type/provider"'
  const value = valueAt(doc, e.instancePath)
  if (e.keyword === 'pattern') return `must be a single name of letters, digits, "_", "." or "-" (got ${JSON.stringify(value)})`
  if (e.keyword === 'type')
    return `${e.message ?? 'has the wrong type'} (got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value})`
  if (e.keyword === 'enum') return `must be one of ${JSON.stringify(e.params['allowedValues'])} (got ${JSON.stringify(value)})`
  return e.message ?? 'is invalid'
}

/** The errors of a failed schema check, one per field; an `anyOf` explains itself better than its branches. */
function schemaDiagnostics(file: string, errors: AjvError[], doc: unknown): Diagnostic[] {
  const byField = new Map<string, AjvError>()
  for (const e of errors) {
    const field = fieldOf(e)
    const seen = byField.get(field)
    if (!seen || (e.keyword === 'anyOf' && seen.instancePath === e.instancePath)) byField.set(field, e)
  }
  return [...byField].map(([field, e]) => ({ file, field, severity: 'error', message: `${field} ${describeError(e, doc)}` }))
}

const guesses = new Map<string, string | undefined>()

/** `didYouMean` for a manifest field, remembered: the same unknown fields recur in every manifest. */
function guessField(key: string): string | undefined {
  if (guesses.has(key)) return guesses.get(key)
  const guess = didYouMean(key, knownManifestFields)
  if (guesses.size < 1000) guesses.set(key, guess)
  return guess
}

const known = new Set(knownManifestFields)

/**
 * `raw`'s own fields without unsafe keys (a warning each) and `null` values, in a null-prototype
 * object (built as a plain object first: that keeps V8's fast properties).
 */
function withoutNulls(raw: Record<string, unknown>, file: string, diagnostics: Diagnostic[]): PluginManifest {
  const manifest: Record<string, unknown> = {}
  for (const key of Object.keys(raw)) {
    if (isUnsafeKey(key)) {
      diagnostics.push({ file, field: key, severity: 'warning', message: `field "${key}" is ignored` })
      continue
    }
    const value = raw[key]
    if (value !== null) manifest[key] = value
  }
  return Object.setPrototypeOf(manifest, null) as PluginManifest
}

/**
 * Parses and validates one manifest object (from YAML or a package.json). Returns undefined with
 * error diagnostics when it cannot be used.
 */
export function checkManifest(doc: unknown, file: string): { parsed?: ParsedManifest; diagnostics: Diagnostic[] } {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return {
      diagnostics: [
        {
          file,
          severity: 'error',
          message: `manifest must be a YAML mapping of fields, got ${doc === null ? 'an empty file' : Array.isArray(doc) ? 'a list' : typeof doc}`,
        },
      ],
    }
  }
  const diagnostics: Diagnostic[] = []
  const raw = doc as PluginManifest
  const manifest = withoutNulls(doc as Record<string, unknown>, file, diagnostics)
  tolerateLegacy(manifest, file, diagnostics)
  for (const key of Object.keys(manifest)) {
    if (known.has(key)) continue
    const guess = guessField(key)
    if (guess && !(guess in manifest))
      diagnostics.push({ file, field: key, severity: 'warning', message: `unknown field "${key}": did you mean "${guess}"?` })
  }
  const validate = validator()
  if (!validate(manifest)) {
    diagnostics.push(...schemaDiagnostics(file, validate.errors ?? [], manifest))
    return { diagnostics }
  }
  return { parsed: { raw, manifest, diagnostics }, diagnostics }
}

/** Reads, parses (bounded) and validates a plugin.yaml; `doc` is the YAML value whenever the YAML itself was valid. */
export function readManifestFile(file: string): { parsed?: ParsedManifest; diagnostics: Diagnostic[]; doc?: unknown } {
  const read = readRegularFile(file, MAX_MANIFEST_BYTES)
  if ('error' in read) return { diagnostics: [{ file, severity: 'error', message: `manifest ${read.error}` }] }
  const parsed = parseYaml(read.text, file)
  if (!('value' in parsed)) return { diagnostics: parsed.diagnostics }
  const result: { parsed?: ParsedManifest; diagnostics: Diagnostic[]; doc?: unknown } = checkManifest(parsed.value, file)
  const extra = parsed.diagnostics
  result.diagnostics.unshift(...extra) // the same array as result.parsed.diagnostics
  result.doc = parsed.value
  return result
}
