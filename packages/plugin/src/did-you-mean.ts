// "Did you mean" suggestions for every message that names an unknown field, key, plugin, command or option.

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
const normalized = new Map<string, string>() // candidates are mostly a few fixed lists of names

/**
 * The closest of `candidates` to `name`, ignoring case, `-` and `_`, if one is within a quarter of its
 * length in edits (at least 1, at most 2); the first of equally close ones.
 * @example
 * didYouMean('entrypoint', ['entry_point', 'version']) // 'entry_point'
 */
export function didYouMean(name: string, candidates: readonly string[]): string | undefined {
  const n = norm(name)
  let best: string | undefined
  let bestD = 3
  for (const c of candidates) {
    const limit = Math.min(bestD - 1, Math.max(1, Math.floor(c.length / 4)))
    let nc = normalized.get(c)
    if (nc === undefined) {
      nc = norm(c)
      if (normalized.size < 10_000) normalized.set(c, nc)
    }
    if (Math.abs(nc.length - n.length) > limit) continue // the distance is at least the length gap
    const d = n === nc ? 0 : distance(n, nc)
    if (d <= limit) {
      best = c
      bestD = d
    }
  }
  return best
}
