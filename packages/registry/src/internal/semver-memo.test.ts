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
})
