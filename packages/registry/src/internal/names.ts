import { isUnsafeKey } from '@pepperpy/plugin/spi'

/** `apiKey` / `api-key` / `api_key` -> `API_KEY`. */
export function upperSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase()
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

/** Levenshtein distance (small strings). */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = tmp
    }
  }
  return row[b.length]!
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
