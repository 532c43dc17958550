/**
 * An exact fast path for the plain YAML that manifests are written in: it returns what `yaml`
 * (core schema, YAML 1.2) makes of a text, or `undefined` (it declines) so the caller asks `yaml`.
 * It answers only when `yaml` reads the text as one document with no error and no warning, and
 * then its value equals `toJS`'s to the last detail (key order, number or string, -0, NaN, own
 * `__proto__`). The differential fuzz in test/yaml-fuzz.test.ts holds it to that.
 *
 * The subset it reads (anything else declines):
 * - a root block mapping; block mappings whose keys are plain, start with `[A-Za-z0-9_$]`, go on
 *   with `[A-Za-z0-9_$./-]`, resolve to strings (not `null`, `true`, `12`, `0x1F`...) and are
 *   unique; block sequences (`- `) of scalars, of nested blocks and of compact mappings
 *   (`- key: value`), also at the indentation of their parent key;
 * - one-line values: plain scalars resolved by the core schema (null, bool, int in base 10, 8 (`0o`)
 *   and 16 (`0x`), float, `.inf`, `.nan`) that hold no `: ` and do not end in `:`; single- and
 *   double-quoted scalars (the double-quoted escapes `yaml` knows); one-line flow sequences and
 *   mappings of plain and quoted scalars (`[a, "b"]`, `{"$gt": 0}`, `[]`, `{}`);
 * - a single-quoted value of a key over several lines, its other lines deeper than the key;
 * - literal (`|`, `|-`) and folded (`>`, `>-`) block scalars whose whitespace-only lines are no
 *   longer than their indentation (and, folded, whose lines are not indented deeper than the first);
 * - comments on their own line and after a value (` #`), blank lines, trailing spaces.
 * It declines on any tab, CR, BOM, control or unusual space character, lone surrogate, anchor,
 * alias, tag, directive, document marker, explicit or quoted block key, multi-line plain or
 * double-quoted scalar, multi-line or nested flow collection, block scalar indicator other than
 * those four, and on an empty document or one of comments only.
 *
 * Over 300 lines on purpose: one reader whose parts (block structure, scalars, flow collections,
 * block scalars) share one cursor and one rule for declining; apart, the subset could not be read
 * as a whole.
 */

/** Thrown inside to decline; caught by {@link fastYaml}. */
const DECLINE: unique symbol = Symbol('decline')

/** Any character outside the subset: controls (tab, CR included), unusual spaces, BOM, non-characters, lone surrogates. */
const UNSAFE =
  /[^\n\x20-\x7e\u00a1-\u167f\u1681-\u1fff\u2010-\u2027\u2030-\u205e\u2070-\u2fff\u3001-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]/u
/** A plain implicit key and its `:` (followed by a space or the end of the line). */
const KEY = /[A-Za-z0-9_$][A-Za-z0-9_$./-]*:(?= |$)/y
/** A key in a one-line flow mapping, plain or quoted (no escapes), and its `: `. */
const FLOW_KEY = /(?:([A-Za-z0-9_$][A-Za-z0-9_$./-]*)|"([^"\\]*)"|'([^']*)'): +/y
/** What may follow a closed quoted scalar or flow sequence: spaces, then a comment after a space. */
const TAIL = /^(?: +#.*| *)$/
const NULL = /^(?:~|[Nn]ull|NULL)?$/
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/
const INT_OCT = /^0o[0-7]+$/
const INT = /^[-+]?[0-9]+$/
const INT_HEX = /^0x[0-9a-fA-F]+$/
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/
/** Characters a plain scalar may not start with (`-` is checked apart). */
const INDICATOR = new Set(['?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`'])
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
}

interface State {
  lines: string[]
  i: number
}

/**
 * The value `yaml` gives `text` when the text is in the simple subset described above and `yaml`
 * reads it without an error or a warning; `undefined` (decline) otherwise.
 */
export function fastYaml(text: string): unknown {
  if (UNSAFE.test(text)) return undefined
  const st: State = { lines: text.split('\n'), i: 0 }
  try {
    const first = skip(st)
    if (first === st.lines.length) return undefined
    const value = mapping(st, indentOf(st.lines[first]!), {})
    if (skip(st) !== st.lines.length) return undefined
    return value
  } catch (error) {
    if (error === DECLINE) return undefined
    throw error
  }
}

/** Moves past blank and comment lines; the index of the next other line (or the line count). */
function skip(st: State): number {
  const { lines } = st
  let i = st.i
  for (; i < lines.length; i++) {
    const line = lines[i]!
    const c = line[indentOf(line)]
    if (c !== undefined && c !== '#') break
  }
  st.i = i
  return i
}

function indentOf(line: string): number {
  let n = 0
  while (line.charCodeAt(n) === 32) n++
  return n
}

function isItem(line: string, at: number): boolean {
  return line[at] === '-' && (line.length === at + 1 || line[at + 1] === ' ')
}

/** The entries at column `n` from the current line on, added to `out`. */
function mapping(st: State, n: number, out: Record<string, unknown>): Record<string, unknown> {
  for (;;) {
    const j = skip(st)
    if (j === st.lines.length) return out
    const line = st.lines[j]!
    const indent = indentOf(line)
    if (indent < n) return out
    if (indent > n) throw DECLINE
    st.i = j + 1
    entry(st, line, n, out)
  }
}

/** One `key: value` whose key starts at column `n` of `line` (the current line is the one after it). */
function entry(st: State, line: string, n: number, out: Record<string, unknown>): void {
  KEY.lastIndex = n
  if (!KEY.test(line)) throw DECLINE
  const colon = KEY.lastIndex - 1
  const key = intern(line.slice(n, colon))
  if (key.length > 128 || typeof plain(key) !== 'string') throw DECLINE
  put(out, key, after(st, line, colon + 1, n, true))
}

/** The value after a key's `:` or an item's `-` (which end at `line[from - 1]`), the key or item at column `n`. */
function after(st: State, line: string, from: number, n: number, inMapping: boolean): unknown {
  let i = from
  while (line.charCodeAt(i) === 32) i++
  if (i === line.length || line.charCodeAt(i) === 35) return nested(st, n, inMapping)
  return inline(st, line.slice(i), n, inMapping)
}

/** The block below a key or an item with nothing after it on its line, or null. */
function nested(st: State, n: number, inMapping: boolean): unknown {
  const j = skip(st)
  if (j === st.lines.length) return null
  const line = st.lines[j]!
  const indent = indentOf(line)
  if (indent > n) return isItem(line, indent) ? sequence(st, indent) : mapping(st, indent, {})
  if (indent === n && inMapping && isItem(line, indent)) return sequence(st, indent)
  return null
}

/** The items at column `n` from the current line on. */
function sequence(st: State, n: number): unknown[] {
  const out: unknown[] = []
  for (;;) {
    const j = skip(st)
    if (j === st.lines.length) return out
    const line = st.lines[j]!
    const indent = indentOf(line)
    if (indent < n) return out
    if (indent > n) throw DECLINE
    if (!isItem(line, n)) return out
    st.i = j + 1
    let col = n + 1
    while (line.charCodeAt(col) === 32) col++
    KEY.lastIndex = col
    if (KEY.test(line)) {
      const map: Record<string, unknown> = {}
      entry(st, line, col, map)
      out.push(mapping(st, col, map))
    } else if (line[col] === '-' && (line.length === col + 1 || line[col + 1] === ' ')) throw DECLINE
    else out.push(after(st, line, n + 1, n, false))
  }
}

/** A value that starts on the line of its key or item: `s` is the line from the value on. */
function inline(st: State, s: string, n: number, inMapping: boolean): unknown {
  const c = s[0]!
  if (c === "'" && inMapping && closingQuote(s, 1) === -1) return singleQuotedLines(st, s, n)
  if (c === '"' || c === "'") {
    const [value, end] = quoted(s, 0)
    if (!TAIL.test(s.slice(end))) throw DECLINE
    return value
  }
  if (c === '[' || c === '{') return flow(s)
  if ((c === '|' || c === '>') && inMapping) return blockScalar(st, s, n)
  if (INDICATOR.has(c) || (c === '-' && s[1] === ' ')) throw DECLINE
  const hash = s.indexOf(' #')
  const body = (hash === -1 ? s : s.slice(0, hash)).trimEnd()
  if (body.includes(': ') || body.endsWith(':') || body === '-') throw DECLINE
  return plain(body)
}

/** Keys seen, as internalized strings (at most {@link MAX_KEYS}): a key sliced from a line is a new string each time, and V8 stores and finds properties by internalized keys much faster. */
const keys = new Map<string, string>()
const MAX_KEYS = 4096

/** `key`, internalized once and remembered, so setting it on the mapping takes V8's fast path. */
function intern(key: string): string {
  const known = keys.get(key)
  if (known !== undefined || keys.size >= MAX_KEYS) return known ?? key
  const internalized = Object.keys({ [key]: 0 })[0]!
  keys.set(internalized, internalized)
  return internalized
}

/** Sets `key` as `yaml` does: a name Object.prototype has (`__proto__`, `constructor`) becomes an own property; a duplicate declines. */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key in out) {
    if (Object.hasOwn(out, key)) throw DECLINE
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true })
  } else out[key] = value
}

/** The index of the quote that closes a single-quoted scalar in `s` from `from` on (`''` is an escaped quote), or -1. */
function closingQuote(s: string, from: number): number {
  let i = s.indexOf("'", from)
  while (i !== -1 && s[i + 1] === "'") i = s.indexOf("'", i + 2)
  return i
}

/** A one-line quoted scalar starting at `s[at]`: its value and the index after its closing quote. */
function quoted(s: string, at: number): [string, number] {
  if (s[at] === "'") {
    const close = closingQuote(s, at + 1)
    if (close === -1) throw DECLINE
    return [s.slice(at + 1, close).replace(/''/g, "'"), close + 1]
  }
  const close = s.indexOf('"', at + 1)
  const slash = s.indexOf('\\', at + 1)
  if (close !== -1 && (slash === -1 || slash > close)) return [s.slice(at + 1, close), close + 1]
  let out = ''
  for (let i = at + 1; i < s.length; i++) {
    const ch = s[i]!
    if (ch === '"') return [out, i + 1]
    if (ch !== '\\') {
      out += ch
      continue
    }
    const next = s[++i]
    if (next === undefined) throw DECLINE
    const simple = ESCAPES[next]
    if (simple !== undefined) {
      out += simple
      continue
    }
    const length = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0
    const hex = s.slice(i + 1, i + 1 + length)
    if (length === 0 || hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) throw DECLINE
    const code = Number.parseInt(hex, 16)
    if (code > 0x10ffff) throw DECLINE
    out += String.fromCodePoint(code)
    i += length
  }
  throw DECLINE
}

/**
 * A single-quoted scalar over several lines, the value of a key at column `n` (`s` is its first
 * line); its other lines must be blank or indented deeper than the key. Folded as `yaml` does: a
 * line break is a space, n empty lines are n line breaks, spaces around a break are dropped.
 */
function singleQuotedLines(st: State, s: string, n: number): string {
  const { lines } = st
  const parts = [s.slice(1).replace(/ +$/, '')]
  let sep = ' '
  for (let j = st.i; j < lines.length; j++) {
    const line = lines[j]!
    const at = indentOf(line)
    if (at < line.length && at <= n) throw DECLINE
    const close = closingQuote(line, 0)
    if (close !== -1) {
      if (!TAIL.test(line.slice(close + 1))) throw DECLINE
      st.i = j + 1
      parts.push(sep, line.slice(at, close))
      return parts.join('').replace(/''/g, "'")
    }
    const text = line.slice(at).replace(/ +$/, '')
    if (text !== '') parts.push(sep, text)
    else if (sep === '\n') parts.push('\n')
    sep = text === '' ? '\n' : ' '
  }
  throw DECLINE
}

/** A one-line flow sequence or mapping of scalars: `[a, "b", 'c']`, `{a: 1, "b": c}`, `[]`, `{}`. */
function flow(s: string): unknown {
  const map = s[0] === '{'
  const close = map ? '}' : ']'
  const items: unknown[] = []
  const entries: Record<string, unknown> = {}
  let i = 1
  while (s[i] === ' ') i++
  if (s[i] !== close)
    for (;;) {
      let key = ''
      if (map) {
        FLOW_KEY.lastIndex = i
        const m = FLOW_KEY.exec(s)
        if (m === null) throw DECLINE
        key = m[1] ?? m[2] ?? m[3]!
        if (m[1] !== undefined && typeof plain(key) !== 'string') throw DECLINE
        i = FLOW_KEY.lastIndex
      }
      let value: unknown
      if (s[i] === '"' || s[i] === "'") [value, i] = quoted(s, i)
      else {
        const start = i
        while (i < s.length && s[i] !== ',' && s[i] !== ']' && s[i] !== '}') i++
        const body = s.slice(start, i).trimEnd()
        if (
          body === '' ||
          /[#:?"'[\]{}]/.test(body) ||
          INDICATOR.has(body[0]!) ||
          (body[0] === '-' && (body.length === 1 || body[1] === ' '))
        )
          throw DECLINE
        value = plain(body)
      }
      if (map) put(entries, key, value)
      else items.push(value)
      while (s[i] === ' ') i++
      if (s[i] === close) break
      if (s[i] !== ',') throw DECLINE
      i++
      while (s[i] === ' ') i++
      if (s[i] === close || i >= s.length) throw DECLINE
    }
  if (!TAIL.test(s.slice(i + 1))) throw DECLINE
  return map ? entries : items
}

/** A `|`, `|-`, `>` or `>-` block scalar under a key at column `n`; `s` is its header. */
function blockScalar(st: State, s: string, n: number): string {
  const folded = s[0] === '>'
  const strip = s[1] === '-'
  if (s.slice(strip ? 2 : 1).trimEnd() !== '') throw DECLINE
  const { lines } = st
  let indent = -1
  let value = ''
  let blanks = 0
  let i = st.i
  for (; i < lines.length; i++) {
    const line = lines[i]!
    const at = indentOf(line)
    if (at === line.length) {
      if (indent !== -1 && at > indent) throw DECLINE
      blanks++
      continue
    }
    if (indent === -1) {
      if (at <= n) break
      indent = at
      for (const blank of lines.slice(st.i, i)) if (blank.length > indent) throw DECLINE
      value = '\n'.repeat(blanks) + line.slice(indent)
    } else if (at < indent) {
      if (at > n) throw DECLINE
      break
    } else if (at > indent && folded) throw DECLINE
    else value += (folded && blanks === 0 ? ' ' : '\n'.repeat(folded ? blanks : blanks + 1)) + line.slice(indent)
    blanks = 0
  }
  st.i = i
  if (indent === -1) return ''
  return strip ? value : `${value}\n`
}

/** A plain scalar resolved by the core schema, as `yaml` does (same tests, same order, same conversions). */
function plain(s: string): unknown {
  const c = s.charCodeAt(0)
  // a letter: only null, true and false (4 or 5 letters) are not strings
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
    if (s.length !== 4 && s.length !== 5) return s
    if (NULL.test(s)) return null
    if (BOOL.test(s)) return c === 116 || c === 84
    return s
  }
  if (s.length === 0 || s === '~') return null
  // anything else but a digit, '+', '-' or '.' cannot be a number
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return s
  if (INT_OCT.test(s)) return Number.parseInt(s.substring(2), 8)
  if (INT.test(s)) return Number.parseInt(s, 10)
  if (INT_HEX.test(s)) return Number.parseInt(s.substring(2), 16)
  if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? Number.NaN : s[0] === '-' ? -Infinity : Infinity
  if (FLOAT.test(s)) return Number.parseFloat(s)
  return s
}
