import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeEntry, encodeEntry, Uncacheable } from './cache-codec.js'

/** Values a YAML parse can make: mappings (with or without a prototype), sequences, the tagged kinds, every number. */
const yamlValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.double(),
    fc.integer(),
    fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    fc.bigInt(),
    fc.date({ noInvalidDate: true }),
    fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        fc.string().filter((k) => k !== 'constructor'),
        fc.constant('__proto__'),
      ),
      tie('value'),
      { maxKeys: 4 },
    ),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 3 }).map((o) => Object.assign(Object.create(null) as object, o)),
    fc.array(fc.tuple(fc.string(), tie('value')), { maxLength: 3 }).map((e) => new Map(e)),
    fc.array(fc.string(), { maxLength: 3 }).map((e) => new Set(e)),
  ),
})).value

describe('cache codec', () => {
  it('gives back exactly what it was given, as fresh objects (property)', () => {
    fc.assert(
      fc.property(yamlValue, (value) => {
        const entry = JSON.parse(JSON.stringify(encodeEntry(value))) as unknown
        const back = decodeEntry(entry)
        expect(back).toStrictEqual(value)
        if (typeof value === 'object' && value !== null) expect(back).not.toBe(value)
      }),
      { numRuns: 1000, seed: 17 },
    )
  })

  it('keeps -0, NaN, prototypes and own __proto__ keys, and refuses what it cannot hold', () => {
    const tricky = JSON.parse('{"__proto__": {"x": 1}, "a": [1]}') as Record<string, unknown>
    const back = decodeEntry(JSON.parse(JSON.stringify(encodeEntry(tricky)))) as Record<string, unknown>
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype)
    expect(Object.hasOwn(back, '__proto__')).toBe(true)
    expect(Object.is(decodeEntry(encodeEntry(-0)), -0)).toBe(true)
    expect(Object.getPrototypeOf(decodeEntry(encodeEntry(Object.create(null))))).toBe(null)
    for (const bad of [
      () => 1,
      Symbol('s'),
      new (class X {})(),
      {
        get a() {
          return 1
        },
      },
    ])
      expect(() => encodeEntry(bad)).toThrow(Uncacheable)
    for (const corrupt of [1, null, ['x'], ['t'], ['t', ['?']], '{']) expect(() => decodeEntry(corrupt)).toThrow()
  })
})
