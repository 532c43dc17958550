import type * as JsYaml from 'js-yaml'
import { lazyRequire } from '../internal/lazy.js'

/**
 * Constructs the two libraries read differently, or that need `yaml`'s bounds, may start here:
 * anchors and aliases (js-yaml shares aliased nodes and has no expansion bound), tags, explicit
 * (`?`) and collection keys, empty or null keys (`yaml` reads them as `""`, js-yaml as `"null"`),
 * directives, and comments not separated from a quoted scalar (`yaml` rejects `"x"#`). The test
 * is conservative: a match only sends the document down the `yaml` path.
 */
export const NEEDS_YAML: RegExp = /(?:^|[\s[{,])(?:[&*!]\S|\?(?:\s|$)|(?:~|null|Null|NULL)?[ \t]*:(?:[\s,\]}]|$))|[\]}][ \t]*:|["'\]}]#|^%/m

const SPACE = /\s/
const LINE_END = /[\n\r\u2028\u2029]/
/** `\s` of a regex, with an ASCII shortcut. */
const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c > 0x7f && SPACE.test(String.fromCharCode(c)))
/** `[\s[{,]`: what may precede a node. */
const isBoundary = (c: number): boolean => isSpace(c) || c === 0x5b || c === 0x7b || c === 0x2c
/** `[\s,\]}]`: what may follow a `:` that ends a key. */
const endsKey = (c: number): boolean => isSpace(c) || c === 0x2c || c === 0x5d || c === 0x7d

/** The characters {@link needsYaml} looks at; every other one is skipped by a table lookup. */
const SPECIAL = new Uint8Array(0x80)
for (const ch of '&*!?:]}"\'%') SPECIAL[ch.charCodeAt(0)] = 1

/** A null key word (`null`, `Null`, `NULL`) ends just before `end`. */
function nullWordBefore(text: string, end: number): boolean {
  if (end < 4) return false
  const w = text.slice(end - 4, end)
  return w === 'null' || w === 'Null' || w === 'NULL'
}

/**
 * `NEEDS_YAML.test(text)`, as one pass over the characters (the regex starts a match attempt at
 * every separator and cost ~7 µs per manifest; this costs ~1). The test suite holds the two equal.
 */
export function needsYaml(text: string): boolean {
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80 && SPECIAL[c] === 0) continue
    switch (c) {
      case 0x26: // &
      case 0x2a: // *
      case 0x21: // !
        if ((i === 0 || isBoundary(text.charCodeAt(i - 1))) && i + 1 < n && !isSpace(text.charCodeAt(i + 1))) return true
        break
      case 0x3f: // ?
        if ((i === 0 || isBoundary(text.charCodeAt(i - 1))) && (i + 1 === n || isSpace(text.charCodeAt(i + 1)))) return true
        break
      case 0x3a: // :
        if (i + 1 < n && !endsKey(text.charCodeAt(i + 1))) break
        if (i === 0 || isBoundary(text.charCodeAt(i - 1))) return true // an empty key (the spaces before it may be empty)
        if (text.charCodeAt(i - 1) === 0x7e /* ~ */ && (i === 1 || isBoundary(text.charCodeAt(i - 2)))) return true
        if (nullWordBefore(text, i) && (i === 4 || isBoundary(text.charCodeAt(i - 5)))) return true
        break
      case 0x5d: // ]
      case 0x7d: {
        // }
        let j = i + 1
        while (j < n && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09)) j++
        if (j < n && text.charCodeAt(j) === 0x3a) return true
        if (i + 1 < n && text.charCodeAt(i + 1) === 0x23) return true
        break
      }
      case 0x22: // "
      case 0x27: // '
        if (i + 1 < n && text.charCodeAt(i + 1) === 0x23) return true
        break
      case 0x25: // %
        if (i === 0 || LINE_END.test(text[i - 1]!)) return true
        break
    }
  }
  return false
}

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

// cheap first-character gates before the patterns: most plain scalars are words that match none
const isNull = (s: string): boolean => s.length <= 4 && NULL.test(s)
const isBool = (s: string): boolean => (s.length === 4 || s.length === 5) && BOOL.test(s)
const numeric = (s: string): boolean => {
  const c = s.charCodeAt(0)
  return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e // 0-9 + - .
}
const isInt = (s: string): boolean => numeric(s) && (INT.test(s) || INT_OCT.test(s) || INT_HEX.test(s))
const isFloat = (s: string): boolean => numeric(s) && (FLOAT_SPECIAL.test(s) || FLOAT_EXP.test(s) || FLOAT.test(s))

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
/**
 * What `yaml` reads differently from js-yaml without a YAML construct to see: a CR that is not part
 * of a CRLF (js-yaml breaks the line there, `yaml` keeps it in the scalar), a tab in a line's
 * indentation (`yaml` rejects it, js-yaml not always), and a line long enough to hold an implicit
 * key over `yaml`'s 1024-character limit.
 */
const LONE_CR = /\r(?!\n)/
const TAB_INDENT = /^ *\t/m

/** A line of `text` has more than 1024 characters. */
function hasLongLine(text: string): boolean {
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start)
    if ((end === -1 ? text.length : end) - start > 1024) return true
    if (end === -1) break
    start = end + 1
  }
  return false
}
const MULTILINE_FLOW = new Error('multi-line flow node')

function coreSchema(jsYaml: typeof JsYaml): JsYaml.Schema {
  const scalar = (tag: string, test: (s: string) => boolean, value: (s: string) => unknown) =>
    new jsYaml.Type(`tag:yaml.org,2002:${tag}`, {
      kind: 'scalar',
      resolve: (s: string | null) => test(s ?? ''),
      construct: (s: string | null) => value(s ?? ''),
    })
  return jsYaml.FAILSAFE_SCHEMA.extend({
    implicit: [
      scalar('null', isNull, () => null),
      scalar('bool', isBool, (s) => s[0] === 't' || s[0] === 'T'),
      scalar('int', isInt, intValue),
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
  if (needsYaml(text)) return undefined
  if (text.includes('\r') && LONE_CR.test(text)) return undefined
  if (text.includes('\t') && TAB_INDENT.test(text)) return undefined
  if (text.length > 1024 && hasLongLine(text)) return undefined
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
    // only a node that ends with a quote or a closing bracket can be a quoted scalar or a flow collection
    const last = text.charCodeAt(end - 1)
    if (last !== 0x22 && last !== 0x27 && last !== 0x5d && last !== 0x7d) return
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
