/**
 * Differential fuzz against `yaml` itself ({@link reference}), on generated documents that use what
 * the yaml-test-suite contains, on mutations of the suite's own inputs, on manifest-like documents
 * biased to the fast path's subset and on mutations of PepperPy's real manifests. Two checks per
 * input: the registry's parser gives `yaml`'s verdict, and the fast path ({@link fastYaml}), when it
 * answers at all, answers only where `yaml` reads the text with no error and no warning, with a
 * value equal to `yaml`'s to the last detail ({@link strictDiff}). A seeded run here; 1,000,000
 * cases under `pnpm test:soak` (PEPPERPY_SOAK=1).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fastYaml } from '../src/manifest/fast-yaml.js'
import { parseYaml } from '../src/manifest/parse-yaml.js'
import { documentText, mutatedSuite } from './yaml-arbitraries.js'
import { manifestText, mutatedManifest, realManifests } from './yaml-manifest-arbitraries.js'
import { cleanValue, reference, strictDiff, verdictOf } from './yaml-reference.js'

const SOAK = Boolean(process.env['PEPPERPY_SOAK'])
/** 1,000,000 cases take about an hour on a loaded 2-core machine. */
const TIMEOUT = SOAK ? 4 * 3_600_000 : 60_000

/** The fast path's answer for `text` is `yaml`'s, or it declines: undefined, else what went wrong. */
function fastDisagreement(text: string): string | undefined {
  const fast = fastYaml(text)
  if (fast === undefined) return undefined
  const clean = cleanValue(text)
  if (clean === undefined) return 'the fast path answered where yaml reports an error or a warning'
  return strictDiff(fast, clean.value)
}

/** One differential check: the registry's verdict, twice (fresh and remembered), equals `yaml`'s; the fast path agrees or declines. */
function agrees(text: string): void {
  const expected = reference(text)
  expect(verdictOf(parseYaml(text, 'plugin.yaml'))).toEqual(expected)
  expect(verdictOf(parseYaml(text, 'plugin.yaml'))).toEqual(expected)
  expect(fastDisagreement(text)).toBeUndefined()
}

/** The fast path alone (cheaper: `yaml` runs only where the fast path answers). */
function fastAgrees(text: string): void {
  expect(fastDisagreement(text)).toBeUndefined()
}

describe('the manifest parser agrees with yaml (differential fuzz)', () => {
  it('on the counterexamples earlier soak runs found (circular aliases, deep nesting): errors, never a thrown RangeError', () => {
    const found = ['a: &a [*a]', '&a \r\na: &b b\n*b : *a\n', "&a\nname: *a\na.b:\n- ''\n", `a: ${'['.repeat(5_000)}${']'.repeat(5_000)}`]
    for (const text of found) {
      agrees(text)
      expect(reference(text)).toEqual({ kind: 'error' })
    }
  })

  it(
    'on generated documents of every construct the suite uses',
    () => {
      fc.assert(fc.property(documentText, agrees), { seed: 19, numRuns: SOAK ? 250_000 : 1_500 })
    },
    TIMEOUT,
  )

  it(
    "on mutations of the suite's inputs",
    () => {
      fc.assert(fc.property(mutatedSuite, agrees), { seed: 20, numRuns: SOAK ? 250_000 : 1_500 })
    },
    TIMEOUT,
  )

  it(
    'on manifest-like documents (the fast path answers or declines, never differs)',
    () => {
      fc.assert(fc.property(manifestText, agrees), { seed: 21, numRuns: SOAK ? 250_000 : 1_500 })
      fc.assert(fc.property(manifestText, fastAgrees), { seed: 22, numRuns: 6_000 })
    },
    TIMEOUT,
  )

  it(
    "on mutations of PepperPy's real manifests (the fast path answers or declines, never differs)",
    () => {
      fc.assert(fc.property(mutatedManifest, agrees), { seed: 23, numRuns: SOAK ? 250_000 : 1_000 })
      fc.assert(fc.property(mutatedManifest, fastAgrees), { seed: 24, numRuns: 3_000 })
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

  it('the manifest-like generator reaches every construct of the fast path in texts it answers, and near misses it declines', () => {
    const sample = fc.sample(manifestText, { seed: 2, numRuns: 4000 })
    const answered = sample.filter((t) => fastYaml(t) !== undefined)
    const declinedClean = sample.filter((t) => fastYaml(t) === undefined && cleanValue(t) !== undefined)
    expect(answered.length).toBeGreaterThan(400)
    expect(declinedClean.length).toBeGreaterThan(400)
    const constructs: Record<string, RegExp> = {
      'literal block scalar': /: \|-?\n/,
      'folded block scalar': /: >-?\n/,
      'flow sequence': /: \[[^\]\n]+\]/,
      'flow mapping': /: \{[^}\n]+\}/,
      'double-quoted escape': /"[^"\n]*\\[nt"\\xuU0]/,
      'single-quoted over lines': /: '[^'\n]*\n/,
      "single-quoted ''": /'[^'\n]*''[^'\n]*'/,
      'compact mapping in a sequence': /^ *- +[\w$.]+: /m,
      "sequence at its key's indentation": /^( *)[\w$.]+:\n\1- /m,
      'comment after a value': /\S #/,
      'comment line': /^ *#/m,
      'trailing spaces': / $/m,
      'number-like value': /: [-+]?\.?\d/,
      '-0': /: -0(?:\.0)?\b/,
      'bool/null-like value': /: (?:true|True|TRUE|false|FALSE|null|Null|NULL|~)\b/,
      '.inf/.nan': /: [-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)\b/,
      'inherited key name': /^ *(?:- )?(?:__proto__|constructor|toString):/m,
    }
    for (const [name, re] of Object.entries(constructs)) expect(answered.filter((t) => re.test(t)).length, name).toBeGreaterThan(5)
  })

  it("the fast path answers for most of PepperPy's 88 real manifests, with yaml's value", () => {
    const texts = realManifests()
    expect(texts).toHaveLength(88)
    const answered = texts.filter((t) => fastYaml(t) !== undefined)
    for (const t of answered) expect(strictDiff(fastYaml(t), cleanValue(t)?.value)).toBeUndefined()
    expect(answered.length).toBeGreaterThanOrEqual(80)
  })
})
