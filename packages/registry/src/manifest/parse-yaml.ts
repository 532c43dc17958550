import type { Diagnostic } from '@pepperpy/plugin'
import { lazyRequire } from '../internal/lazy.js'
import { firstLine } from '@pepperpy/plugin/spi'
import { fastYaml } from './fast-yaml.js'

/** YAML aliases allowed per manifest (bounds "billion laughs" expansion). */
export const MAX_YAML_ALIASES: number = 50

interface YamlIssue {
  code: string
  message: string
}
interface YamlDocument {
  errors: YamlIssue[]
  warnings: YamlIssue[]
  toJS(options: { maxAliasCount: number }): unknown
}
interface Yaml {
  parseAllDocuments(src: string, options: Record<string, unknown>): YamlDocument[]
  parseDocument(src: string, options: Record<string, unknown>): YamlDocument
}

/** What {@link parseYamlText} makes of a text: the value (absent on error) and diagnostics (without a file). */
export interface YamlResult {
  value?: unknown
  diagnostics: Omit<Diagnostic, 'file'>[]
}

const OPTIONS = { prettyErrors: true, logLevel: 'silent' }
const LENIENT = { prettyErrors: true, logLevel: 'silent', uniqueKeys: false }

let yamlReadings = 0

/** How many texts {@link parseYamlText} has handed to the `yaml` library (the others its own code decided): a result made by `yaml` depends on its version. */
export function yamlReadingCount(): number {
  return yamlReadings
}

/**
 * Parses one manifest's YAML text exactly as `yaml` (core schema, YAML 1.2) does: the value and the
 * error/no-error verdict are `yaml`'s. Exceptions, by design: a duplicate key is a warning and the
 * last value wins (as PyYAML did for PepperPy); alias expansion stops after {@link MAX_YAML_ALIASES};
 * a stream of more than one document is an error (a manifest is one document); a circular value (an
 * alias inside its own anchor) is an error; more than {@link MAX_FLOW_DEPTH} nested flow collections
 * or a line indented past {@link MAX_INDENT} is an error (deep recursion could exhaust the stack).
 * YAML warnings
 * (unresolved tags...) become warning diagnostics. A pure function of `text`. The plain YAML that
 * manifests are written in is read by {@link fastYaml}, which gives exactly `yaml`'s value or
 * declines; everything else goes to `yaml`.
 */
export function parseYamlText(text: string): YamlResult {
  const tooDeep = nestingProblem(text)
  if (tooDeep) return { diagnostics: [{ severity: 'error', message: tooDeep }] }
  const fast = fastYaml(text)
  if (fast !== undefined) return { value: fast, diagnostics: [] }
  yamlReadings++
  const yaml = lazyRequire<Yaml>('yaml')
  const diagnostics: YamlResult['diagnostics'] = []
  const docs = yaml.parseAllDocuments(text, OPTIONS)
  if (docs.length > 1) {
    return {
      diagnostics: [
        {
          severity: 'error',
          message: `invalid manifest: the file holds ${docs.length} YAML documents (separated by "---"); a manifest is one document`,
        },
      ],
    }
  }
  // an empty stream (nothing, comments, a lone directive): `yaml`'s single-document reading decides
  let doc = docs.length === 1 ? (docs as YamlDocument[])[0]! : yaml.parseDocument(text, OPTIONS)
  if (doc.errors.length > 0 && doc.errors.every((e) => e.code === 'DUPLICATE_KEY')) {
    diagnostics.push({ severity: 'warning', message: `duplicate key in YAML; the last value wins (${firstLine(doc.errors[0]!.message)})` })
    doc = yaml.parseDocument(text, LENIENT)
  }
  if (doc.errors.length > 0) return { diagnostics: [{ severity: 'error', message: `invalid YAML: ${firstLine(doc.errors[0]!.message)}` }] }
  for (const w of doc.warnings) diagnostics.push({ severity: 'warning', message: `YAML: ${firstLine(w.message)}` })
  try {
    const value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES })
    if (text.includes('*') && isCircular(value, [])) {
      return {
        diagnostics: [
          {
            severity: 'error',
            message:
              'invalid manifest: a YAML alias (*name) refers to a node that contains it, which makes a circular value; a manifest must be a tree (repeat the value or use an alias of a node outside it)',
          },
        ],
      }
    }
    return { value, diagnostics }
  } catch (error) {
    const message = firstLine(error)
    const hint = /alias/i.test(message) ? ` (more than ${MAX_YAML_ALIASES} alias expansions: the limit guards against alias bombs)` : ''
    return { diagnostics: [{ severity: 'error', message: `invalid YAML: ${message}${hint}` }] }
  }
}

/** Flow collections (`[`, `{`) a manifest may nest; real manifests nest fewer than ten. */
export const MAX_FLOW_DEPTH: number = 200
/** Columns a manifest line may be indented by (about 200 levels of block nesting). */
export const MAX_INDENT: number = 400

/**
 * Why `text` nests too deeply to be parsed safely, if it does: `yaml` recurses per level and near
 * 1,000 levels exhausts the stack, and an exhausted stack can take the process down where V8 cannot
 * throw (seen: a fatal out-of-memory in the regular-expression compiler). Counted on the raw
 * characters, so brackets inside quotes count too: the limits are far above any real manifest.
 */
function nestingProblem(text: string): string | undefined {
  let depth = 0
  let deepest = 0
  let indent = 0
  let widest = 0
  let lineStart = true
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (lineStart) {
      if (c === 32) {
        indent++
        continue
      }
      if (indent > widest) widest = indent
      lineStart = false
    }
    if (c === 10) {
      lineStart = true
      indent = 0
    } else if (c === 91 || c === 123) {
      if (++depth > deepest) deepest = depth
    } else if ((c === 93 || c === 125) && depth > 0) depth--
  }
  if (indent > widest) widest = indent
  if (deepest > MAX_FLOW_DEPTH)
    return `invalid manifest: flow collections ([ ] or { }) nested ${deepest} levels deep (at most ${MAX_FLOW_DEPTH}); a manifest is a few levels deep`
  if (widest > MAX_INDENT)
    return `invalid manifest: a line indented by ${widest} spaces (at most ${MAX_INDENT}); a manifest is a few levels deep`
  return undefined
}

/** True when `value` contains itself (an alias inside its own anchor); `ancestors` holds the containers above it. */
function isCircular(value: unknown, ancestors: unknown[]): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (ancestors.includes(value)) return true
  ancestors.push(value)
  try {
    const children =
      value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set ? [...value] : Object.values(value as object)
    return children.some((child) => isCircular(child, ancestors))
  } finally {
    ancestors.pop()
  }
}

/** Texts remembered by {@link parseYaml}, at most this many characters in all. */
const MEMO_CHARS = 8 * 1024 * 1024
const memo = new Map<string, YamlResult>()
let memoChars = 0

/**
 * {@link parseYamlText} with the diagnostics naming `file`, remembered per process by the text
 * itself (the same manifest read again, by a second discovery or another root, is not parsed
 * again). A remembered value is handed out as a copy, so callers may keep or change it.
 */
export function parseYaml(text: string, file: string): { value?: unknown; diagnostics: Diagnostic[] } {
  let result = memo.get(text)
  if (result === undefined) {
    result = parseYamlText(text)
    if (text.length <= MEMO_CHARS / 64) {
      while (memoChars + text.length > MEMO_CHARS && memo.size > 0) {
        const oldest = memo.keys().next().value as string
        memo.delete(oldest)
        memoChars -= oldest.length
      }
      memo.set(text, result)
      memoChars += text.length
    }
  }
  const diagnostics = result.diagnostics.map((d) => ({ file, ...d }))
  if (!('value' in result)) return { diagnostics }
  // every caller gets a copy: the remembered value stays as `yaml` made it
  return { value: copy(result.value), diagnostics }
}

/** A deep copy of a value `toJS` made: mappings, sequences and the explicitly tagged kinds (binary, set, omap, timestamp). */
function copy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map(copy)
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [copy(k), copy(v)]))
  if (value instanceof Set) return new Set([...value].map(copy))
  if (value instanceof Date) return new Date(value.getTime())
  if (Buffer.isBuffer(value)) return Buffer.from(value)
  if (value instanceof Uint8Array) return value.slice()
  const out: Record<string, unknown> = Object.getPrototypeOf(value) === null ? Object.create(null) : {}
  for (const key of Object.keys(value))
    Object.defineProperty(out, key, {
      value: copy((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  return out
}
