/** How one field is merged when two writers changed it: a strategy name or a function. */
export type FieldMerge = 'sum' | 'ours' | 'theirs' | ((ours: unknown, theirs: unknown, base: unknown) => unknown)

/** A whole-state merge: `ours` (this instance), `theirs` (stored by another writer), `base` (what both started from). */
export type StateMerge = (
  ours: Record<string, unknown>,
  theirs: Record<string, unknown>,
  base: Record<string, unknown>,
) => Record<string, unknown>

/** The `merge` option of `persistentPlugin`: a function, or per-field strategies over the default merge. */
export type MergeOption = StateMerge | Record<string, FieldMerge>

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * Merges field by field (DESIGN 6.2): a field changed on one side takes that side; changed on
 * both, it takes `strategies[field]` (`'sum'`: theirs + ours - base, so concurrent increments of a
 * counter add up) or else theirs, and `onBothChanged` is told the field name.
 */
export function mergeFields(
  ours: Record<string, unknown>,
  theirs: Record<string, unknown>,
  base: Record<string, unknown>,
  fields: readonly string[],
  strategies: Record<string, FieldMerge> = {},
  onBothChanged: (field: string) => void = () => {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of fields) {
    const o = ours[f]
    const t = theirs[f]
    const b = base[f]
    const strategy = strategies[f]
    if (strategy === 'sum') out[f] = sum(f, o, t, b)
    else if (same(o, b)) out[f] = t
    else if (same(t, b) || same(o, t)) out[f] = o
    else if (strategy === 'ours') out[f] = o
    else if (typeof strategy === 'function') out[f] = strategy(o, t, b)
    else {
      if (strategy !== 'theirs') onBothChanged(f)
      out[f] = t
    }
  }
  return out
}

function sum(field: string, ours: unknown, theirs: unknown, base: unknown): number {
  const n = (v: unknown, side: string): number => {
    if (v === undefined || v === null) return 0
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new TypeError(`merge strategy 'sum' of field "${field}" needs numbers; ${side} is ${JSON.stringify(v)}`)
    return v
  }
  return n(theirs, 'theirs') + n(ours, 'ours') - n(base, 'base')
}

/** `option` as a whole-state merge over `fields`. */
export function resolveMerge(
  option: MergeOption | undefined,
  fields: readonly string[],
  onBothChanged: (field: string) => void,
): StateMerge {
  if (typeof option === 'function') return option
  return (ours, theirs, base) => mergeFields(ours, theirs, base, fields, option ?? {}, onBothChanged)
}
