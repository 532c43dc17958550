import { isUnsafeKey } from '@pepperpy/plugin/spi'

const snakes = new Map<string, string>()

/** `apiKey` / `api-key` / `api_key` -> `API_KEY` (remembered: the same few names recur on every registration and resolve). */
export function upperSnake(name: string): string {
  let snake = snakes.get(name)
  if (snake === undefined) {
    snake = name
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toUpperCase()
    if (snakes.size < 10_000) snakes.set(name, snake)
  }
  return snake
}

/** `maxTokens` -> `max_tokens`. */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
}

/** A null-prototype copy of `value`'s own enumerable keys, unsafe keys dropped (no prototype pollution). */
export function safeRecord(value: unknown): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out
  for (const key of Object.keys(value)) {
    if (!isUnsafeKey(key)) out[key] = (value as Record<string, unknown>)[key]
  }
  return out
}

/** Edit distance with adjacent transpositions counted as one edit (`modle` -> `model` is 1); small strings. */
export function distance(a: string, b: string): number {
  let prev2: number[] = []
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1)
      row.push(d)
    }
    prev2 = prev
    prev = row
  }
  return prev[b.length]!
}

const norm = (s: string): string => s.toLowerCase().replace(/[-_]/g, '')
const normalized = new Map<string, string>() // candidates are a few fixed lists of names

/** The closest of `candidates` to `name` within 2 edits (ignoring `-`/`_` and case), if any. */
export function didYouMean(name: string, candidates: readonly string[]): string | undefined {
  const n = norm(name)
  let best: string | undefined
  let bestD = 3
  for (const c of candidates) {
    const limit = Math.min(bestD - 1, Math.max(1, Math.floor(c.length / 4)))
    let nc = normalized.get(c)
    if (nc === undefined) normalized.set(c, (nc = norm(c)))
    if (Math.abs(nc.length - n.length) > limit) continue // the distance is at least the length gap
    const d = n === nc ? 0 : distance(n, nc)
    if (d <= limit) {
      best = c
      bestD = d
    }
  }
  return best
}

/** What a type or provider name may be (decision 20): 1–64 letters, digits, `.`, `_`, `-`, not starting with a punctuation. */
export const NAME_PATTERN: RegExp = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/** Why `name` cannot be a plugin type or provider, or undefined when it can. */
export function nameProblem(kind: 'type' | 'provider', name: unknown): string | undefined {
  if (typeof name !== 'string') return `${kind} must be a string (got ${name === null ? 'null' : typeof name})`
  if (NAME_PATTERN.test(name)) return undefined
  const shown = name.length > 80 ? `${JSON.stringify(name.slice(0, 40))}… (${name.length} characters)` : JSON.stringify(name)
  return `${kind} ${shown} is not a valid name: use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`
}

/** The environment prefix of `type/provider` (`PEPPERPY_LLM__OPEN_AI`): two ids with one prefix would read each other's variables. */
export function envPrefix(type: string, provider: string): string {
  return `PEPPERPY_${upperSnake(type)}__${upperSnake(provider)}`
}

/** The environment prefix of an id `type/provider`. */
export function prefixOf(id: string): string {
  const i = id.indexOf('/')
  return envPrefix(id.slice(0, i), id.slice(i + 1))
}
