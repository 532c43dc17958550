// Secrets: which keys hold one, and redaction of values, text and URLs.
import { camelCase } from './keys.js'

/** The text that replaces a secret value wherever it would be shown. */
export const REDACTED = '[redacted]'

/** Last words that make a key secret (plurals too, so `api_keys: [...]` is secret). */
const SECRET_WORDS = new Set([
  'key',
  'keys',
  'secret',
  'secrets',
  'token',
  'tokens',
  'password',
  'passwords',
  'passwd',
  'credential',
  'credentials',
])

/** Header names whose value is a secret whatever the last-word rule says. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie'])

/**
 * True when a config key holds a secret: its last word (split on `_`, `-`, `.` and camelCase) is
 * key, secret, token, password, passwd or credential(s) (`api_key`, `apiKey`, `accessToken`,
 * `session.token`), or it is one of `secretKeys` (the `writeOnly` properties of a config schema).
 * `tokensUsed`, `keyCount` and `lastTokenRefreshAt` are not secret.
 * @param key - a config key, field name or dotted path
 * @param secretKeys - keys declared secret by a schema (`writeOnly: true`)
 * @returns whether values under `key` must never be shown
 */
export function isSecretKey(key: string, secretKeys?: ReadonlySet<string>): boolean {
  if (secretKeys?.has(key)) return true
  const words = splitWords(key)
  const last = words[words.length - 1]
  return last !== undefined && SECRET_WORDS.has(last)
}

const marks = new WeakMap<object, ReadonlySet<string>>()

/**
 * Records that `keys` of `config` are secret (a schema's `writeOnly` properties); the mark travels
 * with the config object to the plugin, its logger and its views. For resolver implementations.
 * @returns `config`
 */
export function markSecretKeys<T extends object>(config: T, keys: Iterable<string>): T {
  const set = new Set(marks.get(config))
  for (const key of keys) set.add(key).add(camelCase(key))
  if (set.size > 0) marks.set(config, set)
  return config
}

/** The keys {@link markSecretKeys} recorded for `config` (empty when none). */
export function secretKeysOf(config: object): ReadonlySet<string> {
  return marks.get(config) ?? NONE
}

/**
 * A copy of `value` fit to show: values under secret keys (at any depth, every array element
 * included) and `Authorization` headers become `[redacted]`, and strings lose URL userinfo,
 * secret-named query parameters and `Authorization:`/`Bearer` credentials.
 * @param value - anything; class instances other than plain objects and arrays are kept as they are
 * @param secretKeys - extra keys to treat as secret (defaults to the keys marked on `value`)
 * @returns the redacted copy
 */
export function redactSecrets<T>(value: T, secretKeys?: ReadonlySet<string>): T {
  const keys = secretKeys ?? (typeof value === 'object' && value !== null ? marks.get(value) : undefined)
  return redactValue(value, keys, new WeakSet()) as T
}

/**
 * `text` without URL userinfo, secret-named query parameters, `Authorization:`/`Bearer` credentials
 * or `key=value` pairs whose key is secret.
 * @returns the cleaned text
 */
export function redactText(text: string): string {
  if (!MAYBE_SECRET_TEXT.test(text)) return text
  return text
    .replace(URL_IN_TEXT, redactUrl)
    .replace(AUTH_HEADER, (_m, name: string, scheme: string | undefined) => `${name}${scheme ?? ''}${REDACTED}`)
    .replace(BEARER, (_m, scheme: string) => `${scheme}${REDACTED}`)
    .replace(KEY_VALUE, (m, key: string, sep: string, value: string) =>
      isSecretKey(key) && value !== REDACTED ? `${key}${sep}${REDACTED}` : m,
    )
}

/** The string values of every secret key in `config` (at any depth), for scrubbing text. */
export function collectSecretValues(config: Readonly<Record<string, unknown>>, secretKeys?: ReadonlySet<string>): string[] {
  const keys = secretKeys ?? marks.get(config)
  const found = new Set<string>()
  const add = (v: unknown, depth: number): void => {
    if (depth > 8) return
    if (typeof v === 'string' || typeof v === 'number') {
      if (String(v).length >= 4) found.add(String(v))
    } else if (typeof v === 'object' && v !== null) for (const inner of Object.values(v)) add(inner, depth + 1)
  }
  const walk = (v: unknown, depth: number): void => {
    if (depth > 8 || typeof v !== 'object' || v === null) return
    for (const [k, inner] of Object.entries(v)) {
      if (isSecretKey(k, depth === 0 ? keys : undefined) || isSecretHeader(k)) add(inner, depth)
      else walk(inner, depth + 1)
    }
  }
  walk(config, 0)
  return [...found].sort((a, b) => b.length - a.length) // longest first: a secret containing another is scrubbed whole
}

/** Replaces every occurrence of the given secret values in `text` with `[redacted]`, then applies {@link redactText}. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED)
  return redactText(out)
}

// ---- helpers ------------------------------------------------------------------------------------

const NONE: ReadonlySet<string> = new Set()

function splitWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase())
}

function isSecretHeader(key: string): boolean {
  return SECRET_HEADERS.has(key.toLowerCase())
}

function redactValue(value: unknown, keys: ReadonlySet<string> | undefined, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value)
  if (typeof value !== 'object' || value === null) return value
  if (seen.has(value)) return '[circular]'
  seen.add(value)
  if (Array.isArray(value)) return value.map((v) => redactValue(v, undefined, seen))
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    const secret = (isSecretKey(k, keys) || isSecretHeader(k)) && v !== undefined && v !== null
    Object.defineProperty(out, k, {
      value: secret ? hide(v) : redactValue(v, undefined, seen),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return out
}

/** A secret value hidden; an array keeps its length (every element hidden) so its shape stays visible. */
function hide(value: unknown): unknown {
  return Array.isArray(value) ? value.map((v) => (v === undefined || v === null ? v : REDACTED)) : REDACTED
}

const MAYBE_SECRET_TEXT = /:\/\/|authorization|bearer|=/i
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi
const AUTH_HEADER =
  /\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?!(?:(?:basic|bearer|token|digest)\s+)?\[redacted\])((?:basic|bearer|token|digest)\s+)?[^\s"',;}]+/gi
const BEARER = /\b(bearer\s+)(?!\[redacted\])[A-Za-z0-9._~+/=-]{4,}/gi
const KEY_VALUE = /\b([A-Za-z][A-Za-z0-9_.-]*)(\s*=\s*|=)(?!\[redacted\])([^\s&"',;]+)/g

function redactUrl(url: string): string {
  const scheme = url.indexOf('://') + 3
  let out = url
  const authorityEnd = firstIndex(out, ['/', '?', '#'], scheme)
  const at = out.lastIndexOf('@', authorityEnd)
  if (at >= scheme) out = `${out.slice(0, scheme)}${REDACTED}${out.slice(at)}`
  const q = out.indexOf('?')
  if (q < 0) return out
  const hash = out.indexOf('#', q)
  const query = out.slice(q + 1, hash < 0 ? undefined : hash)
  const cleaned = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      if (eq < 0) return pair
      return isSecretKey(decode(pair.slice(0, eq))) ? `${pair.slice(0, eq)}=${REDACTED}` : pair
    })
    .join('&')
  return `${out.slice(0, q + 1)}${cleaned}${hash < 0 ? '' : out.slice(hash)}`
}

function firstIndex(text: string, chars: readonly string[], from: number): number {
  let end = text.length
  for (const c of chars) {
    const i = text.indexOf(c, from)
    if (i >= 0 && i < end) end = i
  }
  return end
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
