import type { Diagnostic } from '@pepperpy/plugin'
import { lazyRequire } from '../internal/lazy.js'
import { fastParseYaml } from './fast-yaml.js'
import { firstLine } from '@pepperpy/plugin/spi'

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
  parseDocument(src: string, options: Record<string, unknown>): YamlDocument
}

/**
 * Parses YAML text: plain documents through the js-yaml fast path, the rest (anchors, errors,
 * duplicate keys, tags) through `yaml` with bounded alias expansion. Duplicate keys are accepted
 * with a warning, the last value winning, as PyYAML did for PepperPy; YAML warnings (unresolved
 * tags...) become warning diagnostics instead of process warnings. Both libraries load on first use.
 */
export function parseYaml(text: string, file: string): { value?: unknown; diagnostics: Diagnostic[] } {
  const fast = fastParseYaml(text)
  if (fast) return { value: fast.value, diagnostics: [] }
  return parseYamlFully(text, file)
}

/** The `yaml` path of {@link parseYaml}: every diagnostic, line and column. */
export function parseYamlFully(text: string, file: string): { value?: unknown; diagnostics: Diagnostic[] } {
  const yaml = lazyRequire<Yaml>('yaml')
  const diagnostics: Diagnostic[] = []
  let doc = yaml.parseDocument(text, { prettyErrors: true, logLevel: 'silent' })
  if (doc.errors.length > 0 && doc.errors.every((e) => e.code === 'DUPLICATE_KEY')) {
    diagnostics.push({
      file,
      severity: 'warning',
      message: `duplicate key in YAML; the last value wins (${firstLine(doc.errors[0]!.message)})`,
    })
    doc = yaml.parseDocument(text, { prettyErrors: true, logLevel: 'silent', uniqueKeys: false })
  }
  if (doc.errors.length > 0)
    return { diagnostics: [{ file, severity: 'error', message: `invalid YAML: ${firstLine(doc.errors[0]!.message)}` }] }
  for (const w of doc.warnings) diagnostics.push({ file, severity: 'warning', message: `YAML: ${firstLine(w.message)}` })
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }), diagnostics }
  } catch (error) {
    const message = firstLine((error as Error).message)
    const hint = /alias/i.test(message) ? ` (more than ${MAX_YAML_ALIASES} alias expansions: the limit guards against alias bombs)` : ''
    return { diagnostics: [{ file, severity: 'error', message: `invalid YAML: ${message}${hint}` }] }
  }
}
