import { describe, expect, it } from 'vitest'
import { stats } from './harness.js'

describe('stats', () => {
  it('gives median, range and spread', () => {
    const s = stats([5, 1, 3, 2, 4])
    expect(s).toEqual({ median: 3, min: 1, max: 5, spread: (4 - 2) / 3, samples: 5 })
  })
  it('interpolates the median of an even count', () => {
    expect(stats([1, 2, 3, 4]).median).toBe(2.5)
  })
  it('has no spread for one sample or a zero median', () => {
    expect(stats([7]).spread).toBe(0)
    expect(stats([0, 0, 0]).spread).toBe(0)
  })
})
