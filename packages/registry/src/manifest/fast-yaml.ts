import type * as JsYaml from 'js-yaml'
import { lazyRequire } from '../internal/lazy.js'

/**
 * Constructs the two libraries read differently, or that need `yaml`'s bounds, may start here:
 * anchors and aliases (js-yaml shares aliased nodes and has no expansion bound), tags, explicit
 * (`?`) and collection keys, empty or null keys (`yaml` reads them as `""`, js-yaml as `"null"`),
 * directives, and comments not separated from a quoted scalar (`yaml` rejects `"x"#`). The test
 * is conservative: a match only sends the document down the `yaml` path.
 */
const NEEDS_YAML = /(?:^|[\s[{,])(?:[&*!]\S|\?(?:\s|$)|(?:~|null|Null|NULL)?[ \t]*:(?:[\s,\]}]|$))|[\]}][ \t]*:|["'\]}]#|^%/m

// YAML 1.2 core schema scalars, with the exact patterns and values of `yaml`'s core schema, so that
// both paths read every plain scalar the same way (js-yaml's own core schema differs on `0b101`,
// `-.5`, `1_000`...).
const NULL = /^(?:~|[Nn]ull|NULL)?$/
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/
const INT = /^[-+]?[0-9]+$/
const INT_OCT = /^0o[0-7]+$/
const INT_HEX = /^0x[0-9a-fA-F]+$/
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/

const isFloat = (s: string): boolean => FLOAT_SPECIAL.test(s) || FLOAT_EXP.test(s) || FLOAT.test(s)

function floatValue(s: string): number {
  if (!FLOAT_SPECIAL.test(s)) return parseFloat(s)
  if (s.slice(-3).toLowerCase() === 'nan') return NaN
  return s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY
}

function intValue(s: string): number {
  if (INT_OCT.test(s)) return parseInt(s.slice(2), 8)
  if (INT_HEX.test(s)) return parseInt(s.slice(2), 16)
  return parseInt(s, 10)
}

let schema: JsYaml.Schema | undefined

/** The part of js-yaml's parser state its `listener` option sees. */
interface ListenerState {
  position: number
}
const FLOW_START = `'"[{`
const MULTILINE_FLOW = new Error('multi-line flow node')

function coreSchema(jsYaml: typeof JsYaml): JsYaml.Schema {
  const scalar = (tag: string, test: (s: string) => boolean, value: (s: string) => unknown) =>
    new jsYaml.Type(`tag:yaml.org,2002:${tag}`, { kind: 'scalar', resolve: (s: string | null) => test(s ?? ''), construct: (s: string | null) => value(s ?? '') })
  return jsYaml.FAILSAFE_SCHEMA.extend({
    implicit: [
      scalar('null', (s) => NULL.test(s), () => null),
      scalar('bool', (s) => BOOL.test(s), (s) => s[0] === 't' || s[0] === 'T'),
      scalar('int', (s) => INT.test(s) || INT_OCT.test(s) || INT_HEX.test(s), intValue),
      scalar('float', isFloat, floatValue),
    ],
  })
}

/**
 * The fast path of manifest parsing: js-yaml (about 10× faster than `yaml` on PepperPy's manifests)
 * with `yaml`'s core-schema scalars. Returns `undefined` when the document needs the full `yaml`
 * path: anchors or aliases, or anything js-yaml rejects (errors, duplicate keys, unknown tags,
 * several documents), so that diagnostics and values are always `yaml`'s.
 */
export function fastParseYaml(text: string): { value: unknown } | undefined {
  if (NEEDS_YAML.test(text)) return undefined
  const jsYaml = lazyRequire<typeof JsYaml>('js-yaml')
  schema ??= coreSchema(jsYaml)
  const starts: number[] = []
  // A quoted scalar or flow collection over several lines: `yaml` rejects less-indented
  // continuation lines, js-yaml does not, so such documents go down the `yaml` path too.
  const listener = (event: 'open' | 'close', state: ListenerState): void => {
    if (event === 'open') {
      starts.push(state.position)
      return
    }
    const end = state.position
    let i = starts.pop()!
    let c = text.charCodeAt(i)
    while (i < end && (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) c = text.charCodeAt(++i)
    if (i < end && FLOW_START.includes(text[i]!)) {
      const nl = text.indexOf('\n', i)
      if (nl !== -1 && nl < end) throw MULTILINE_FLOW
    }
  }
  try {
    const value = jsYaml.load(text, { schema, listener } as JsYaml.LoadOptions)
    return { value: value === undefined ? null : value }
  } catch {
    return undefined
  }
}
