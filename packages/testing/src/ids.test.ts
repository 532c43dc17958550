import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { splitId } from './ids.js'

const name = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,15}$/)

describe('splitId', () => {
  it('splits every type/provider key into its two parts', () => {
    fc.assert(
      fc.property(name, name, (type, provider) => {
        expect(splitId(`${type}/${provider}`, 'plugins')).toEqual([type, provider])
      }),
    )
  })

  it('rejects keys without exactly one inner slash, naming the option and the key', () => {
    const bad = fc.oneof(
      name,
      name.map((n) => `/${n}`),
      name.map((n) => `${n}/`),
      fc.tuple(name, name, name).map(([a, b, c]) => `${a}/${b}/${c}`),
    )
    fc.assert(
      fc.property(bad, (key) => {
        expect(() => splitId(key, 'mocks')).toThrow(`mocks key "${key}" must be "type/provider"`)
      }),
    )
  })
})
