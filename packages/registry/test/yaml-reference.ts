/**
 * The reference the manifest parser is held to: `yaml` itself (core schema, YAML 1.2) driven the
 * plain way, `parseDocument` + `toJS`, with the documented exceptions (duplicate keys warn and the
 * last wins; alias expansion capped; more than one document is an error; a circular value, an alias
 * inside its own anchor, is an error; nesting deeper than MAX_FLOW_DEPTH flow collections or a line
 * indented past MAX_INDENT is an error). Plus the vendored
 * yaml-test-suite cases.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseAllDocuments, parseDocument } from 'yaml'
import { MAX_FLOW_DEPTH, MAX_INDENT, MAX_YAML_ALIASES } from '../src/manifest/parse-yaml.js'

/** One vendored case of the yaml-test-suite (see scripts/vendor-yaml-test-suite.ts). */
export interface SuiteCase {
  id: string
  name: string
  yaml: string
  json?: string
  error: boolean
  documents: number
}

/** The folder of the vendored yaml-test-suite data (MIT, LICENSE beside it). */
export const suiteDir: string = resolve(import.meta.dirname, '../../../test/fixtures/yaml-test-suite')

/** Every vendored case. */
export function suiteCases(): SuiteCase[] {
  return (JSON.parse(readFileSync(resolve(suiteDir, 'cases.json'), 'utf8')) as { cases: SuiteCase[] }).cases
}

/** What `yaml` says about `text`, as the registry must say it. */
export type Verdict = { kind: 'multi'; documents: number } | { kind: 'error' } | { kind: 'ok'; value: unknown; duplicate: boolean }

/** `yaml`'s verdict on `text`, with the registry's documented exceptions applied. */
export function reference(text: string): Verdict {
  if (tooDeep(text)) return { kind: 'error' }
  const documents = parseAllDocuments(text).length
  if (documents > 1) return { kind: 'multi', documents }
  let doc = parseDocument(text)
  let duplicate = false
  if (doc.errors.length > 0 && doc.errors.every((e) => e.code === 'DUPLICATE_KEY')) {
    duplicate = true
    doc = parseDocument(text, { uniqueKeys: false })
  }
  if (doc.errors.length > 0) return { kind: 'error' }
  try {
    const value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES })
    return containsItself(value) ? { kind: 'error' } : { kind: 'ok', value, duplicate }
  } catch {
    return { kind: 'error' }
  }
}

/** The nesting limits, counted the plain way: bracket depth over the raw text, and each line's leading spaces. */
function tooDeep(text: string): boolean {
  let depth = 0
  let deepest = 0
  for (const c of text) {
    if (c === '[' || c === '{') deepest = Math.max(deepest, ++depth)
    else if ((c === ']' || c === '}') && depth > 0) depth--
  }
  const widest = Math.max(0, ...text.split('\n').map((line) => /^ */.exec(line)![0].length))
  return deepest > MAX_FLOW_DEPTH || widest > MAX_INDENT
}

/** True when some container in `value` is its own descendant. */
function containsItself(value: unknown, above: Set<unknown> = new Set()): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (above.has(value)) return true
  above.add(value)
  const children = value instanceof Map ? [...value].flat() : value instanceof Set ? [...value] : Object.values(value)
  const found = children.some((child) => containsItself(child, above))
  above.delete(value)
  return found
}

/** The registry's parse result in the same terms as {@link reference}. */
export function verdictOf(result: { value?: unknown; diagnostics: { severity: string; message: string }[] }): Verdict {
  const errors = result.diagnostics.filter((d) => d.severity === 'error')
  const multi = errors.find((d) => /holds (\d+) YAML documents/.test(d.message))
  if (multi) return { kind: 'multi', documents: Number(/holds (\d+)/.exec(multi.message)![1]) }
  if (errors.length > 0 || !('value' in result)) return { kind: 'error' }
  return { kind: 'ok', value: result.value, duplicate: result.diagnostics.some((d) => d.message.startsWith('duplicate key')) }
}

/** `yaml`'s value for `text` when it reads one document with no error and no warning (the only case the fast path may answer), else undefined. */
export function cleanValue(text: string): { value: unknown } | undefined {
  const docs = parseAllDocuments(text)
  if (docs.length !== 1) return undefined
  const doc = docs[0]!
  if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) }
  } catch {
    return undefined
  }
}

/**
 * Where `actual` differs from `expected` (a path and both values), or undefined when they are the
 * same to the last detail: type, `Object.is` for numbers (-0, NaN), key order, property flags,
 * prototypes, array length and holes.
 */
export function strictDiff(actual: unknown, expected: unknown, path = '$'): string | undefined {
  const show = (v: unknown): string =>
    typeof v === 'number' && Object.is(v, -0) ? '-0' : typeof v === 'string' ? JSON.stringify(v) : String(v)
  if (typeof actual !== typeof expected) return `${path}: ${typeof actual} ${show(actual)} vs ${typeof expected} ${show(expected)}`
  if (typeof actual !== 'object' || actual === null || expected === null)
    return Object.is(actual, expected) ? undefined : `${path}: ${show(actual)} vs ${show(expected)}`
  const a = actual as object
  const e = expected as object
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(e)) return `${path}: different prototypes`
  if (Array.isArray(a) !== Array.isArray(e)) return `${path}: array vs not`
  if (!Array.isArray(a) && Object.getPrototypeOf(a) !== Object.prototype && Object.getPrototypeOf(a) !== null)
    return `${path}: not a plain object or array (${Object.prototype.toString.call(a)})`
  const ak = Reflect.ownKeys(a)
  const ek = Reflect.ownKeys(e)
  if (ak.length !== ek.length || ak.some((k, i) => k !== ek[i]))
    return `${path}: keys ${ak.map(String).join(',')} vs ${ek.map(String).join(',')}`
  for (const k of ak) {
    const ad = Object.getOwnPropertyDescriptor(a, k)!
    const ed = Object.getOwnPropertyDescriptor(e, k)!
    if (ad.enumerable !== ed.enumerable || ad.writable !== ed.writable || ad.configurable !== ed.configurable || 'get' in ad || 'get' in ed)
      return `${path}.${String(k)}: property flags`
    const d = strictDiff(ad.value, ed.value, `${path}.${String(k)}`)
    if (d !== undefined) return d
  }
  return undefined
}
