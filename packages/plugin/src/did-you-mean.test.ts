import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { didYouMean, distance } from './did-you-mean.js'

describe('didYouMean', () => {
  it('finds near misses of fields, commands and options, ignoring case, "-" and "_"', () => {
    expect(didYouMean('entrypoint', ['name', 'entry_point', 'version'])).toBe('entry_point')
    expect(didYouMean('lsit', ['list', 'info', 'validate'])).toBe('list')
    expect(didYouMean('--jsno', ['--json', '--load'])).toBe('--json')
    expect(didYouMean('MAX_TOKENS', ['maxTokens'])).toBe('maxTokens')
    expect(didYouMean('modle', ['model', 'mode'])).toBe('model') // a transposition is one edit
  })

  it('suggests nothing far away, and nothing for short names more than one edit off', () => {
    expect(didYouMean('database', ['list', 'info'])).toBeUndefined()
    expect(didYouMean('nwx', ['new'])).toBeUndefined()
    expect(didYouMean('x', [])).toBeUndefined()
  })

  it('distance: a metric-like edit count (zero on itself, symmetric, at most the longer length)', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 8 })
    fc.assert(
      fc.property(word, word, (a, b) => {
        const d = distance(a, b)
        expect(distance(a, a)).toBe(0)
        expect(distance(b, a)).toBe(d)
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length))
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length))
        if (a !== b) expect(d).toBeGreaterThan(0)
      }),
      { seed: 15, numRuns: 300 },
    )
  })

  it('returns a candidate within the limit or nothing', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-', 'A'), maxLength: 10 })
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 6 }), (name, candidates) => {
        const best = didYouMean(name, candidates)
        if (best === undefined) return
        expect(candidates).toContain(best)
        const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '')
        expect(distance(norm(name), norm(best))).toBeLessThanOrEqual(Math.min(2, Math.max(1, Math.floor(best.length / 4))))
      }),
      { seed: 15, numRuns: 300 },
    )
  })
})
