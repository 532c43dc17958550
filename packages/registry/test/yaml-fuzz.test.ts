/**
 * Differential fuzz: the registry's parser against `yaml` itself ({@link reference}) on generated
 * documents that use what the yaml-test-suite contains (tags, anchors and aliases, document
 * markers and directives, block scalars with indicators, flow collections as keys, explicit keys,
 * tabs, comments, CRs) and on mutations of the suite's own inputs. A seeded run here; 1,000,000
 * cases under `pnpm test:soak` (PEPPERPY_SOAK=1).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseYaml } from '../src/manifest/parse-yaml.js'
import { reference, suiteCases, verdictOf } from './yaml-reference.js'

const SOAK = Boolean(process.env['PEPPERPY_SOAK'])
/** 1,000,000 cases take about an hour on a loaded 2-core machine. */
const TIMEOUT = SOAK ? 4 * 3_600_000 : 60_000
const seeds = suiteCases().map((c) => c.yaml)

const word = fc.constantFrom(
  'a',
  'key',
  'entry_point',
  'name',
  'x y',
  'provider.ts:P',
  'null',
  '~',
  'true',
  'Yes',
  '0o17',
  '0x1F',
  '1_000',
  '-.5',
  '.inf',
  '.NaN',
  '1e3',
  '0b101',
  '+12',
  '012',
  '2001-12-14',
  'a#b',
  'a:b',
  '-',
  '--',
  '---x',
  '...',
  '?',
  ':',
  '%',
  '@',
  '`',
)
const quoted = fc.oneof(
  fc.constantFrom(
    `''`,
    `""`,
    `'it''s'`,
    `"a\\tb"`,
    `"\\x41\\u263A"`,
    `"bad \\q"`,
    `"open`,
    `'open`,
    `"a\n  b"`,
    `'a\n\n b'`,
    `"#"`,
    `"x"#c`,
  ),
  word.map((w) => `"${w}"`),
)
const tag = fc.constantFrom(
  '',
  '',
  '',
  '!',
  '!!str ',
  '!!int ',
  '!!map ',
  '!!seq ',
  '!foo ',
  '!<tag:yaml.org,2002:str> ',
  '!!binary ',
  '!!set ',
  '!e!x ',
  '!!float ',
  '!!null ',
  '!!bool ',
)
const anchor = fc.constantFrom('', '', '', '&a ', '&b ', '&a1 ')
const alias = fc.constantFrom('*a', '*b', '*a1', '*missing')
const blockScalar = fc
  .tuple(
    fc.constantFrom('|', '>', '|-', '>+', '|2', '>1-', '|+', '>-', '|0', '|10', '| #c'),
    fc.array(fc.constantFrom('  text', '   more', '', '  ', '\t', '  # not a comment', ' less'), { maxLength: 4 }),
  )
  .map(([h, lines]) => `${h}\n${lines.join('\n')}`)
const flow = fc.constantFrom(
  '[]',
  '{}',
  '[a, b]',
  '{a: 1, b: [2]}',
  '[a: b]',
  '{? a}',
  '[a, ]',
  '[, a]',
  '{a: 1,}',
  '[a\n, b]',
  '{"a":1}',
  '[*a]',
  '{a: {b: c}}',
  '[[a]]',
)
const scalar = fc.oneof({ weight: 4, arbitrary: word }, { weight: 2, arbitrary: quoted }, { weight: 1, arbitrary: alias })
const value = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(tag, anchor, scalar).map(([t, a, s]) => `${t}${a}${s}`) },
  { weight: 2, arbitrary: fc.tuple(tag, anchor, flow).map(([t, a, f]) => `${t}${a}${f}`) },
  { weight: 1, arbitrary: blockScalar },
  { weight: 1, arbitrary: fc.constant('') },
)
const key = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(anchor, word).map(([a, w]) => `${a}${w}`) },
  { weight: 1, arbitrary: quoted },
  { weight: 1, arbitrary: flow },
  { weight: 1, arbitrary: alias.map((a) => `${a} `) },
  { weight: 1, arbitrary: fc.constantFrom('? a', '? [a, b]', '?', '? |\n  x') },
)
const indent = fc.constantFrom('', '', '', '  ', '    ', ' ', '\t', '  \t', '- ', '  - ', '- - ')
const separator = fc.constantFrom(': ', ': ', ':', ':\t', ' : ', ':\n  ', ': # c\n  ')
const comment = fc.constantFrom('', '', '', ' # c', '#c', '\t# tab', ' #')
const line = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(indent, key, separator, value, comment).map((p) => p.join('')) },
  { weight: 2, arbitrary: fc.tuple(indent, value, comment).map((p) => p.join('')) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '---',
      '...',
      '--- # doc',
      '--- |\n  text',
      '%YAML 1.2',
      '%TAG !e! tag:example.com,2000:',
      '%FOO bar',
      '# comment',
      '',
      '   ',
      '\t',
    ),
  },
)
const eol = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r', ' \n', '\t\n')
const documentText = fc.tuple(fc.array(fc.tuple(line, eol), { minLength: 1, maxLength: 12 }), fc.boolean()).map(([lines, trailing]) => {
  const text = lines.map(([l, e]) => l + e).join('')
  return trailing ? text : text.replace(/[\r\n]+$/, '')
})

const PUNCT = [
  '-',
  '?',
  ':',
  ',',
  '[',
  ']',
  '{',
  '}',
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
  ' ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '---',
  '...',
  '\\',
  '\u00a0',
  '\ufeff',
]
const mutation = fc.oneof(
  fc.tuple(fc.nat(), fc.constantFrom(...PUNCT)).map(
    ([at, s]) =>
      (t: string) =>
        t.slice(0, at % (t.length + 1)) + s + t.slice(at % (t.length + 1)),
  ),
  fc.nat().map((at) => (t: string) => (t.length === 0 ? t : t.slice(0, at % t.length) + t.slice((at % t.length) + 1))),
  fc.tuple(fc.nat(), fc.constantFrom(...PUNCT)).map(
    ([at, s]) =>
      (t: string) =>
        t.length === 0 ? s : t.slice(0, at % t.length) + s + t.slice((at % t.length) + 1),
  ),
  fc.nat().map((at) => (t: string) => {
    const lines = t.split('\n')
    const i = at % lines.length
    return [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)].join('\n')
  }),
  fc.constant((t: string) => t.replace(/\n/g, '\r\n')),
  fc.constant((t: string) => t.replace(/^ {2}/gm, '\t')),
)
const mutated = fc
  .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([seed, ms]) => ms.reduce((t, m) => m(t), seed))

/** One differential check: the registry's verdict, twice (fresh and remembered), equals `yaml`'s. */
function agrees(text: string): void {
  const expected = reference(text)
  expect(verdictOf(parseYaml(text, 'plugin.yaml'))).toEqual(expected)
  expect(verdictOf(parseYaml(text, 'plugin.yaml'))).toEqual(expected)
}

describe('the manifest parser agrees with yaml (differential fuzz)', () => {
  it(
    'on generated documents of every construct the suite uses',
    () => {
      fc.assert(fc.property(documentText, agrees), { seed: 19, numRuns: SOAK ? 500_000 : 1_500 })
    },
    TIMEOUT,
  )

  it(
    "on mutations of the suite's inputs",
    () => {
      fc.assert(fc.property(mutated, agrees), { seed: 20, numRuns: SOAK ? 500_000 : 1_500 })
    },
    TIMEOUT,
  )

  it('the generators produce what they claim (tags, anchors, markers, block scalars, flow keys, tabs, comments, CRs, errors, multi-document)', () => {
    const sample = fc.sample(documentText, { seed: 1, numRuns: 2000 })
    const has = (re: RegExp) => sample.filter((t) => re.test(t)).length
    for (const re of [/!!?\w/, /&a/, /\*a/, /^---/m, /^%/m, /[|>][-+0-9]/, /^\s*(?:- )*[[{][^\n]*\]?\}?:/m, /\t/, /#/, /\r(?!\n)/, /\r\n/])
      expect(has(re), String(re)).toBeGreaterThan(20)
    const verdicts = sample.map((t) => reference(t).kind)
    for (const kind of ['ok', 'error', 'multi'] as const) expect(verdicts.filter((k) => k === kind).length, kind).toBeGreaterThan(50)
  })
})
