import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { fastParseYaml, NEEDS_YAML, needsYaml } from './fast-yaml.js'
import { parseYaml, parseYamlFully } from './parse-yaml.js'

const fixtures = resolve(import.meta.dirname, '../../../../test/fixtures/pepperpy-manifests')
const manifests = (): string[] => {
  return (readdirSync(fixtures, { recursive: true }) as string[])
    .filter((f) => f.endsWith('plugin.yaml'))
    .sort()
    .map((f) => readFileSync(join(fixtures, f), 'utf8'))
}

/** The fast path may decline a document, but what it accepts must be exactly what `yaml` reads. */
function agrees(text: string): { fast: boolean; ok: boolean; detail?: string } {
  const fast = fastParseYaml(text)
  if (!fast) return { fast: false, ok: true }
  const full = parseYamlFully(text, 'x.yaml')
  if (!('value' in full)) return { fast: true, ok: false, detail: `yaml rejects it: ${full.diagnostics[0]?.message}` }
  if (full.diagnostics.length > 0) return { fast: true, ok: false, detail: `yaml warns: ${full.diagnostics[0]?.message}` }
  if (!isDeepStrictEqual(fast.value, full.value))
    return { fast: true, ok: false, detail: `${JSON.stringify(fast.value)} vs ${JSON.stringify(full.value)}` }
  return { fast: true, ok: true }
}

describe('fastParseYaml (js-yaml with yaml core-schema scalars)', () => {
  it.each([
    '014',
    '0o14',
    '0o8',
    '0x1F',
    '0xGG',
    '-0x1',
    '0b101',
    '1_000',
    '+12',
    '-0',
    '.5',
    '-.5',
    '0.',
    '1e3',
    '1E3',
    '6.02e+23',
    '.inf',
    '-.Inf',
    '+.INF',
    '.NaN',
    'yes',
    'no',
    'on',
    'off',
    'True',
    'TRUE',
    'tRUE',
    '~',
    'null',
    'Null',
    'NULL',
    '',
    '2024-01-01',
    '2001-12-14t21:59:43.10-05:00',
    '12:30:00',
    '1.2.3',
    '">=1.0.0"',
    "'it''s'",
    '"tab\\there"',
    '[a, 1, true]',
  ])('reads the scalar %j as yaml does', (scalar) => {
    const result = agrees(`k: ${scalar}\n`)
    expect(result.detail).toBeUndefined()
    expect(result.ok).toBe(true)
  })

  it.each([
    ['an anchor', 'a: &x 1\nb: 2\n'],
    ['an alias', 'a: 1\nb: [*x]\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['an unknown tag', 'a: !secret x\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a syntax error', 'a: [1, 2\n'],
  ])('leaves %s to yaml', (_, text) => {
    expect(fastParseYaml(text)).toBeUndefined()
  })

  it.each([
    ['a lone CR inside a quoted scalar', 'name: x\ndescription: "a\rb"\n'],
    ['a lone CR in a multi-line plain scalar', 'name: x\ndescription: a\r  b\n'],
    ['a tab-only line inside a multi-line plain scalar', 'name: x\ndescription: a\n\t\n  b\n'],
    ['a document that is a tab-indented scalar', '\tname\n'],
    ['an implicit key over 1024 characters', `${'k'.repeat(1025)}: 1\n`],
  ])('does not accept what yaml reads otherwise or rejects: %s', (_, text) => {
    const result = agrees(text)
    expect(result.detail).toBeUndefined()
  })

  it('takes the fast path for plain manifests and keeps __proto__ an own key', () => {
    const value = fastParseYaml('__proto__: {polluted: true}\nname: x\n')?.value as Record<string, unknown>
    expect(Object.hasOwn(value, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(fastParseYaml('')?.value).toBeNull()
  })

  it('needsYaml is the NEEDS_YAML pattern, character for character (random texts of YAML punctuation)', () => {
    let seed = 7
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    const alphabet = [
      'a',
      'n',
      'u',
      'l',
      'N',
      'U',
      'L',
      '~',
      ':',
      ' ',
      '\t',
      '\n',
      '\r',
      '\u2028',
      '\u00a0',
      '&',
      '*',
      '!',
      '?',
      '[',
      ']',
      '{',
      '}',
      ',',
      '"',
      "'",
      '#',
      '%',
      'null',
      'Null',
      'NULL',
      '-',
    ]
    const mismatches: string[] = []
    for (let k = 0; k < 50_000; k++) {
      let text = ''
      for (let m = 0, len = 1 + rand(12); m < len; m++) text += alphabet[rand(alphabet.length)]
      if (needsYaml(text) !== NEEDS_YAML.test(text)) mismatches.push(JSON.stringify(text))
    }
    for (const text of manifests()) if (needsYaml(text) !== NEEDS_YAML.test(text)) mismatches.push(text.slice(0, 60))
    expect(mismatches.slice(0, 5)).toEqual([])
  })

  it('still bounds alias bombs (they take the yaml path)', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...'bcdefghij'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghij'[i]}`).join(', ')}]`),
    ].join('\n')
    const result = parseYaml(bomb, 'bomb.yaml')
    expect(result.value).toBeUndefined()
    expect(result.diagnostics[0]?.message).toMatch(/alias/)
  })

  describe("PepperPy's real manifests", () => {
    it('are read identically by both paths, and mostly by the fast one', () => {
      const texts = manifests()
      let fast = 0
      for (const text of texts) {
        const result = agrees(text)
        expect(result.detail, text.slice(0, 80)).toBeUndefined()
        if (result.fast) fast++
      }
      expect(fast).toBeGreaterThan(texts.length * 0.8)
    })

    it('agree with yaml on 5,000 mutated copies (deterministic fuzz)', () => {
      const texts = manifests()
      let seed = 42
      const rand = (n: number): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff
        return seed % n
      }
      const pieces = [
        ':',
        ': ',
        '-',
        '- ',
        '[',
        ']',
        '{',
        '}',
        ',',
        '"',
        "'",
        '#',
        '|',
        '>',
        '\n',
        ' ',
        '  ',
        '\t',
        '?',
        '!',
        '%',
        '@',
        '`',
        '\\',
        '0',
        '.',
        'e',
        'x',
      ]
      const failures: string[] = []
      for (let k = 0; k < 5000; k++) {
        let text = texts[k % texts.length]!
        for (let m = 0, edits = 1 + rand(3); m < edits; m++) {
          const at = rand(text.length + 1)
          const op = rand(3)
          if (op === 0) text = text.slice(0, at) + text.slice(at + 1 + rand(3))
          else if (op === 1) text = text.slice(0, at) + pieces[rand(pieces.length)]! + text.slice(at)
          else {
            const lines = text.split('\n')
            const i = rand(lines.length)
            lines.splice(rand(lines.length), 0, lines[i]!)
            text = lines.join('\n')
          }
        }
        const result = agrees(text)
        if (!result.ok) failures.push(`${result.detail}\n---\n${text}`)
      }
      expect(failures.slice(0, 2)).toEqual([])
    })
  })
})
