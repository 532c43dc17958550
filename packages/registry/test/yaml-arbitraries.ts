/**
 * Generators of YAML texts for the differential fuzz (test/yaml-fuzz.test.ts): documents built from
 * what the yaml-test-suite contains (tags, anchors and aliases, document markers and directives,
 * block scalars with indicators, flow collections as keys, explicit keys, tabs, comments, CRs) and
 * mutations of the suite's own inputs.
 */
import fc from 'fast-check'
import { suiteCases } from './yaml-reference.js'

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
/** Documents of the constructs the yaml-test-suite uses, valid and not. */
export const documentText: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.tuple(line, eol), { minLength: 1, maxLength: 12 }), fc.boolean())
  .map(([lines, trailing]) => {
    const text = lines.map(([l, e]) => l + e).join('')
    return trailing ? text : text.replace(/[\r\n]+$/, '')
  })

/** Characters and strings that matter to YAML, inserted by {@link mutation}. */
export const PUNCT: string[] = [
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
/** One edit of a text: insert, delete or replace a character, duplicate a line, CRLF line ends, tabs for indentation. */
export const mutation: fc.Arbitrary<(text: string) => string> = fc.oneof(
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
/** Mutations of the yaml-test-suite's inputs. */
export const mutatedSuite: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...suiteCases().map((c) => c.yaml)), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([seed, ms]) => ms.reduce((t, m) => m(t), seed))
