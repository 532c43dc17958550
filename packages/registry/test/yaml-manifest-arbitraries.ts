/**
 * Generators of manifest-like YAML for the fast path's differential fuzz: documents biased to the
 * subset the fast path reads (nested block mappings and sequences, every core-schema scalar kind,
 * comments, quotes with escapes, block scalars, flow sequences, indentation variants, trailing
 * spaces) with near misses mixed in (keys and values that look like numbers, bools or indicators,
 * `: ` and ` #` inside values, misaligned lines, tabs, CRs), and mutations of PepperPy's real
 * manifests. A differential test is only as good as its generator: these aim at the edges.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import { mutation } from './yaml-arbitraries.js'

/** PepperPy's real manifests (the vendored fixtures), as texts. */
export function realManifests(): string[] {
  const files: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (name === 'plugin.yaml') files.push(path)
    }
  }
  walk(resolve(import.meta.dirname, '../../../test/fixtures/pepperpy-manifests'))
  return files.map((f) => readFileSync(f, 'utf8'))
}

/** Plain values `yaml` reads without complaint after `key: `: strings, nulls, bools, numbers and near misses of each. */
const PLAIN = [
  ...['name', 'llm/openai', 'provider.ts:Provider', 'PepperPy Team <team@pepperpy.ai>', 'https://x.io/a?b=c#d', 'a b  c'],
  ...['Some text, with (punctuation).', "it's", 'say "hi"', 'a\\b', 'a\\nb', 'héllo', '日本語', '😀', '--', '---', '-x', '-1'],
  ...['~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'yes', 'No', 'on', 'y'],
  ...['0', '-0', '+0', '00', '007', '12', '+12', '-12', '1_000', '0b1', '0o17', '0o8', '0O17', '0x1F', '0xfg', '0X1F', '-0x1'],
  ...['12345678901234567890', '9007199254740993', '1.', '.5', '+.5', '-.5', '.5.', '1.5', '-0.0', '0.10', '1e3', '1E-3'],
  ...['1.e3', '.5e+3', '1e', 'e3', '1.5.2', '.inf', '-.Inf', '+.INF', '.INf', 'inf', '.nan', '.NaN', '.NAN', 'NaN', '-.nan'],
  ...['2001-12-14', '2001-12-14t21:59:43.10-05:00', '12:30', '1:2:3', 'v1.0.0', '>=0.1.0', '^1.2', 'x:y', 'a :b', 'a#b', 'a #b'],
  ...['a,b', 'a]', 'a}', 'a[b]', 'a, b', 'a #', '#a', '', 'x  ', '?x', ':x', '&a', '!a', '=', '<', 'a@b', 'a`b', 'a|b', '...'],
]
/** Numbers of every form the core schema knows, and their edges. */
const NUMBERS = [
  '-0',
  '-0.0',
  '-.0',
  '+0',
  '0.0',
  '-0e0',
  '-0x0',
  '-0o0',
  '0o0',
  '1e3',
  '1e400',
  '-1e400',
  '5e-324',
  '1e-400',
  '.inf',
  '-.inf',
]
NUMBERS.push('.nan', '0o17', '0o777777777777777777', '0x1F', '0xFFFFFFFFFFFFFFFFFF', '12345678901234567890', '-9007199254740993', '0.1e-0')
/** Plain values that are errors, warnings or not plain at all after `key: `. */
const ODD_PLAIN = ['-', '- x', '?', '? x', ':', ': x', 'x:', 'a: b: c', 'a:b c:', '[a', '{a', ']a', '}a', ',a', '*a', '%a', '@a', '`a']
const UNSAFE = ['a\u00a0b', 'a\u2028b', 'a\u0085b', '\ufeffa', 'a\tb', 'a\rb', 'a\u0000b', 'a\ud800b', 'a\ufffeb', 'a\u200bb']
const ESC = ['\\n', '\\t', '\\"', '\\\\', '\\/', '\\0', '\\a', '\\b', '\\e', '\\f', '\\r', '\\v', '\\N', '\\_', '\\L', '\\P', '\\ ']
const HEX = ['\\x41', '\\x7f', '\\u263A', '\\uD83D', '\\uD83D\\uDE00', '\\U0001F600', '\\U00000041', '\\u00e9', '\\x0a', '\\x00']
const BAD_ESC = ['\\q', '\\x4', '\\x4G', '\\u263', '\\U0011FFFF', '\\', "\\'", '\\\t', '\\\n']
const QUOTE_ODD = ["'", "''", '"', '\n', '\n\n', '\n  ', '\n ', ' \n', '\n    x', '\n- x', '\n# c', '\n---', '\n...', '\n  \n']
const BROKEN_QUOTED = ['"open', "'open", '"a"b', "'a'b", '"a" b', "'a''", '"\\"', '"a"#c', "'a'#c", '"a": b', "''''", '"a" "b"']
const FLOW_MAPPING = ['{}', '{ }', '{}  ', '{a: 1}', '{"a": 1, b: "c"}', '{a: 1,}', '{a:1}', '{"$gt": 0}', '{} x', '{}}', '{}#c']
const KEYS = ['name', 'version', 'description', 'entry_point', 'config_schema', 'type', 'properties', 'default', 'required']
KEYS.push('a.b', '$schema', 'x-y', 'a/b', '_', 'API_KEY', 'n1', 'k', 'v2', '9a', '1_000', 'tags', 'examples', 'input', 'model')
const NEAR_KEYS = ['1', '01', '0x1', '1e3', '.5', 'true', 'True', 'null', 'NULL', '~', '__proto__', 'constructor', 'toString']
const ODD_KEYS = ['a b', 'é', '-a', '"q"', "'q'", '?', '? a', 'a:b', '<<', '&a a', '*a', '!k', 'k'.repeat(130), '[a]', '{a: 1}']
const COMMENT = [' # c', '  # a: b', ' #', ' #x # y', ' #: x']
const BLOCK_LINES = ['text', 'more text  ', '# not a comment', 'key: value', '- item', '"q"', ' ', '  ', '', '', '  deeper', '---']
const QUOTED_LINES = ['text', "it''s", '', '', ' ', '  deeper', '# not a comment', '- x', 'a: b', 'trailing  ', "''", '---', '\\n']
const EXTRA_LINES = ['', '  ', '     ', '# comment', '  # indented comment', '    # deep', '#', '#no space']
const ODD_LINES = ['---', '...', 'x', '  - y', '\t', '%YAML 1.2', '--- # d', ' x: 1', '? a', ': b', '&a', '*a', '!t', '- z', '\r']

type Lines = string[]

/**
 * Documents at one level of noise: 0 keeps to what `yaml` accepts in a block mapping (plus the
 * constructs the fast path declines), higher levels mix in more errors and near misses.
 */
function documents(noise: number): fc.Arbitrary<string> {
  const mix = <T>(common: fc.Arbitrary<T>, odd: fc.Arbitrary<T>): fc.Arbitrary<T> =>
    noise === 0 ? common : fc.oneof({ weight: 12, arbitrary: common }, { weight: noise, arbitrary: odd })
  const plain = mix(
    fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PLAIN) }, { weight: 1, arbitrary: fc.constantFrom(...NUMBERS) }),
    fc.constantFrom(...ODD_PLAIN, ...UNSAFE),
  )
  const part = (quote: (p: string) => string): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 4, arbitrary: plain.map(quote) },
      { weight: 1, arbitrary: fc.constantFrom("'", '"', "it's", '"a" \'b\'').map(quote) },
      { weight: 2, arbitrary: fc.constantFrom(...ESC, ...HEX, ' ', '  ', ' # ', ': ', ' - ') },
      { weight: 1, arbitrary: mix(fc.constantFrom(...QUOTE_ODD), fc.constantFrom(...BAD_ESC)) },
    )
  const double = fc
    .array(
      part((p) => p.replace(/"/g, '\\"')),
      { maxLength: 4 },
    )
    .map((p) => `"${p.join('')}"`)
  const single = fc
    .array(
      part((p) => p.replace(/'/g, "''")),
      { maxLength: 4 },
    )
    .map((p) => `'${p.join('')}'`)
  const quoted = mix(fc.oneof(double, single), fc.constantFrom(...BROKEN_QUOTED))
  const flowItem = mix(
    fc.oneof({ weight: 3, arbitrary: plain }, { weight: 2, arbitrary: quoted }),
    fc.constantFrom('[a]', '{a: 1}', '', ' '),
  )
  const flowSequence = fc
    .tuple(
      fc.array(fc.tuple(flowItem, fc.constantFrom(', ', ',', ' , ', ',  ', ' ,')), { maxLength: 5 }),
      fc.constantFrom('', '', ' ', '  '),
      mix(fc.constant(''), fc.constantFrom(',', ', ')),
    )
    .map(
      ([items, pad, trail]) =>
        `[${pad}${items.map(([v, s], i) => (i === items.length - 1 ? v : v + s)).join('')}${items.length ? trail : ''}${pad}]`,
    )
  const flowKey = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...KEYS) },
    { weight: 2, arbitrary: fc.oneof(double, single) },
    { weight: 1, arbitrary: mix(fc.constantFrom(...NEAR_KEYS), fc.constantFrom(...ODD_KEYS)) },
  )
  const flowColon = mix(fc.constantFrom(': ', ': ', ':  '), fc.constantFrom(':', ' : ', ' :'))
  const flowMapping = fc
    .tuple(
      fc.array(fc.tuple(flowKey, flowColon, flowItem), { maxLength: 4 }),
      fc.constantFrom('', '', ' '),
      mix(fc.constant(''), fc.constant(',')),
    )
    .map(([entries, pad, trail]) => `{${pad}${entries.map((e) => e.join('')).join(', ')}${entries.length ? trail : ''}${pad}}`)
  const scalar = fc.oneof(
    { weight: 6, arbitrary: plain },
    { weight: 4, arbitrary: quoted },
    { weight: 2, arbitrary: flowSequence },
    { weight: 1, arbitrary: flowMapping },
    { weight: 1, arbitrary: fc.constantFrom(...FLOW_MAPPING) },
  )
  const comment = fc.oneof(
    { weight: 12, arbitrary: fc.constant('') },
    { weight: 4, arbitrary: mix(fc.constantFrom(...COMMENT), fc.constantFrom('#c', '\t# t')) },
  )
  const trailing = fc.oneof(
    { weight: 12, arbitrary: fc.constant('') },
    { weight: 4, arbitrary: mix(fc.constantFrom(' ', '   '), fc.constant('\t')) },
  )
  const key = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...KEYS) },
    { weight: 2, arbitrary: mix(fc.constantFrom(...NEAR_KEYS), fc.constantFrom(...ODD_KEYS)) },
  )
  const colon = fc.oneof(
    { weight: 12, arbitrary: fc.constant(': ') },
    { weight: 2, arbitrary: mix(fc.constant(':  '), fc.constantFrom(':', ' : ', ':\t')) },
  )
  const step = mix(fc.constantFrom(2, 2, 2, 4, 1, 3), fc.constant(0))
  const blockHeader = mix(
    fc.constantFrom('|', '|-', '>', '>-', '|  ', '>- '),
    fc.constantFrom('|+', '>+', '|2', '| #c', '>1-', '|-2', '|x'),
  )
  const blockLine = mix(fc.constantFrom(...BLOCK_LINES), fc.constantFrom('   ', '    ', ' odd', '\t', '\ttab'))
  const { mapping, sequence } = fc.letrec<{ node: Lines; mapping: Lines; sequence: Lines }>((tie) => ({
    node: fc.oneof({ weight: 3, arbitrary: tie('mapping') }, { weight: 2, arbitrary: tie('sequence') }),
    mapping: fc
      .array(
        fc.oneof(
          { weight: 6, arbitrary: fc.tuple(key, colon, scalar, comment, trailing).map((p): Lines => [p.join('')]) },
          {
            weight: 3,
            arbitrary: fc
              .tuple(key, fc.constantFrom(':', ':', ': # c', ':  '), step, tie('node'))
              .map(([k, c, s, child]): Lines => [`${k}${c}`, ...child.map((l) => ' '.repeat(s) + l)]),
          },
          { weight: 1, arbitrary: fc.tuple(key, tie('sequence')).map(([k, items]): Lines => [`${k}:`, ...items]) },
          {
            weight: 1,
            arbitrary: fc
              .tuple(
                key,
                fc.array(fc.constantFrom(...QUOTED_LINES), { minLength: 2, maxLength: 5 }),
                fc.constantFrom(1, 2, 4),
                mix(fc.constant(''), fc.constantFrom(' # c', 'x', '#c')),
              )
              .map(
                ([k, [first, ...rest], s, tail]): Lines => [
                  `${k}: '${first}`,
                  ...rest.map((l, i) => (l === '' ? l : ' '.repeat(s) + l) + (i === rest.length - 1 ? `'${tail}` : '')),
                ],
              ),
          },
          {
            weight: 2,
            arbitrary: fc
              .tuple(key, blockHeader, fc.constantFrom(2, 2, 1, 4), fc.array(blockLine, { maxLength: 5 }))
              .map(([k, h, s, body]): Lines => [`${k}: ${h}`, ...body.map((l) => (l.trim() === '' ? l : ' '.repeat(s) + l))]),
          },
        ),
        { minLength: 1, maxLength: 5 },
      )
      .map((entries) => entries.flat()),
    sequence: fc
      .array(
        fc.oneof(
          { weight: 4, arbitrary: fc.tuple(fc.constantFrom('- ', '- ', '-  '), scalar, comment, trailing).map((p): Lines => [p.join('')]) },
          {
            weight: 3,
            arbitrary: fc
              .tuple(fc.constantFrom(2, 2, 2, 3, 4), tie('mapping'))
              .map(([s, m]): Lines => [`-${' '.repeat(s - 1)}${m[0]}`, ...m.slice(1).map((l) => ' '.repeat(s) + l)]),
          },
          {
            weight: 1,
            arbitrary: fc
              .tuple(fc.constantFrom('-', '- ', '- # c'), step, tie('node'))
              .map(([d, s, child]): Lines => [d, ...child.map((l) => ' '.repeat(s) + l)]),
          },
        ),
        { minLength: 1, maxLength: 4 },
      )
      .map((items) => items.flat()),
  }))
  const extraLine = mix(fc.constantFrom(...EXTRA_LINES), fc.constantFrom(...ODD_LINES))
  return fc
    .tuple(
      noise === 0 ? mapping : fc.oneof({ weight: 9, arbitrary: mapping }, { weight: 1, arbitrary: sequence }),
      fc.array(fc.tuple(fc.nat(), extraLine), { maxLength: 3 }),
      mix(fc.constant(''), fc.constantFrom(' ', '  ')),
      fc.constantFrom('\n', '\n', '', '\n\n', '\n  '),
    )
    .map(([lines, extra, rootIndent, end]) => {
      const out = lines.map((l) => (l === '' ? l : rootIndent + l))
      for (const [at, l] of extra) out.splice(at % (out.length + 1), 0, l)
      return out.join('\n') + end
    })
}

/** Manifest-like documents: mostly in the fast path's subset, with near misses; many are invalid YAML. */
export const manifestText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: documents(0) },
  { weight: 2, arbitrary: documents(1) },
  { weight: 1, arbitrary: documents(4) },
)

const VALUES = [...PLAIN, ...ODD_PLAIN, ...BROKEN_QUOTED, ...FLOW_MAPPING, '"a\\tb"', "'a''b'", '[a, 1]', '[]', '|', '>-', '']
const EDIT = fc.oneof(
  { weight: 3, arbitrary: mutation },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.nat(), fc.constantFrom(-2, -1, 1, 2)).map(([at, d]) => (t: string) => {
      const lines = t.split('\n')
      const i = at % lines.length
      lines[i] = d > 0 ? ' '.repeat(d) + lines[i] : lines[i]!.replace(new RegExp(`^ {0,${-d}}`), '')
      return lines.join('\n')
    }),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.nat(), fc.constantFrom(...VALUES)).map(([at, v]) => (t: string) => {
      const lines = t.split('\n')
      const i = at % lines.length
      lines[i] = lines[i]!.replace(/:( .*|)$/, `: ${v}`)
      return lines.join('\n')
    }),
  },
  {
    weight: 1,
    arbitrary: fc.nat().map(
      (at) => (t: string) =>
        t
          .split('\n')
          .filter((_, i, a) => i !== at % a.length)
          .join('\n'),
    ),
  },
  { weight: 1, arbitrary: fc.nat().map((at) => (t: string) => t.slice(0, at % (t.length + 1))) },
)

/** PepperPy's real manifests, each with a few edits (characters, lines, indentation, values). */
export const mutatedManifest: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...realManifests()), fc.array(EDIT, { minLength: 0, maxLength: 3 }))
  .map(([seed, edits]) => edits.reduce((t, e) => e(t), seed))
