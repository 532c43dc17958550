import { describe, expect, it } from 'vitest'
import { rememberSemver, semverAnswers, semverMemo } from './semver-memo.js'
import { lazyRequire } from './lazy.js'

describe('semverMemo', () => {
  it('answers as semver does, remembers each call, and takes only well-formed answers from a cache file', () => {
    const semver = lazyRequire<typeof semverMemo>('semver')
    const calls: Array<[keyof typeof semverMemo, unknown[]]> = [
      ['validRange', ['>=1.2 <2']],
      ['validRange', ['blerg']],
      ['valid', ['1.0.0']],
      ['valid', ['1.0']],
      ['satisfies', ['1.4.0', '^1.2', { includePrerelease: true }]],
      ['satisfies', ['2.0.0-rc.1', '^2', { includePrerelease: true }]],
      ['lt', ['1.0.0', '1.0.1']],
    ]
    for (const [name, args] of calls)
      expect((semverMemo[name] as (...a: unknown[]) => unknown)(...args)).toEqual((semver[name] as (...a: unknown[]) => unknown)(...args))
    const { entries, changed } = semverAnswers()
    expect(changed).toBe(true)
    expect(entries.length).toBeGreaterThanOrEqual(calls.length)
    expect(semverAnswers().changed).toBe(false)
    rememberSemver([['["valid","9.9.9"]', { not: 'an answer' }], ['["exec","x"]', true], 'junk', ['["lt","0.0.1","0.0.2"]', true]])
    expect(semverMemo.valid('9.9.9')).toBe('9.9.9')
    expect(semverAnswers().entries.some(([k]) => k === '["exec","x"]')).toBe(false)
  })

  it('adopts answers from a cache file on the first ask only when their semver is still the one installed', () => {
    let asked = 0
    // a planted answer no semver would give: adopted only from a trusted file
    rememberSemver([['["valid","7.7.7-planted"]', 'from-an-untrusted-file']], () => {
      asked++
      return false
    })
    expect(asked).toBe(0) // nothing is looked up until an answer is needed
    expect(semverMemo.valid('7.7.7-planted')).toBe('7.7.7-planted')
    expect(asked).toBe(1)
    rememberSemver([['["valid","8.8.8-planted"]', 'from-a-trusted-file']], () => true)
    expect(semverMemo.valid('8.8.8-planted')).toBe('from-a-trusted-file')
    expect(semverMemo.valid('7.7.7-planted')).toBe('7.7.7-planted')
  })
})
