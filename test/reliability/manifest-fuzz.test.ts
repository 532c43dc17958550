// Issue 14: a manifest fuzz seeded with PepperPy's 88 real manifests, random entry points and
// random names (folders and declared fields). No exception escapes discovery or `pepperpy validate`,
// nothing hangs (FIFOs among the files), and every invalid manifest has an error diagnostic naming
// its file. 1,000 manifests in CI, 10,000 under PEPPERPY_SOAK=1.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../../packages/cli/src/index.ts'
import { cleanupAll, SOAK, system, temp, watchUnhandled, write } from './helpers.js'

afterEach(cleanupAll)

const FIXTURES = resolve(import.meta.dirname, '../fixtures/pepperpy-manifests')
const PROVIDER = "import { PepperpyPlugin } from '@pepperpy/plugin'\nexport class P extends PepperpyPlugin {}\n"
/** The name rule (docs/manifest-reference.md), as written there. */
const VALID_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

function seedTexts(): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (name === 'plugin.yaml') out.push(readFileSync(p, 'utf8'))
    }
  }
  walk(FIXTURES)
  return out
}
const seeds = seedTexts()

/** An entry point and whether discovery must refuse it (error), given a folder holding provider.ts. */
const entry = fc.oneof(
  fc
    .constantFrom('provider.ts:P', 'provider.ts', './provider.ts:P', 'nope.ts:P', 'provider.OpenAIProvider', 'sub/x.ts:P')
    .map((e) => ({ yaml: JSON.stringify(e), bad: false })),
  fc
    .constantFrom(
      'provider.ts\0:P',
      `${'a'.repeat(300)}.ts:P`,
      '../x.ts:P',
      '../../../../etc/passwd',
      '/etc/passwd:P',
      'provider.ts/MyPlugin',
      'C:\\x.ts:P',
      '\0',
    )
    .map((e) => ({ yaml: JSON.stringify(e), bad: true })),
  fc.constantFrom('[1, 2]', '{a: 1}', '42', 'true').map((yaml) => ({ yaml, bad: true })),
  fc.string({ maxLength: 30 }).map((e) => ({ yaml: JSON.stringify(e), bad: undefined })), // anything: only "no crash" is asserted
)
const validName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,30}$/)
const invalidName = fc.constantFrom('a b', 'ü', '-lead', '_x', 'x'.repeat(70), 'tab\tname', 'q"uote', 'semi;colon', '%41')
const name = fc.oneof({ weight: 4, arbitrary: validName }, { weight: 1, arbitrary: invalidName })
const aCase = fc.record({
  seed: fc.nat(seeds.length - 1),
  entry,
  typeFolder: name,
  providerFolder: name,
  declaredType: fc.option(name, { freq: 4 }),
  declaredProvider: fc.option(name, { freq: 4 }),
  fifo: fc.nat(200).map((n) => n === 0),
})
type Case = typeof aCase extends fc.Arbitrary<infer T> ? T : never

/** The seeds that are invalid on their own (with a good entry point and names): found by one discovery. */
async function invalidSeeds(): Promise<Set<number>> {
  const root = temp('pepperpy-seeds-')
  seeds.forEach((text, i) => {
    write(
      join(root, 'llm', `seed${i}`, 'plugin.yaml'),
      `${text.replace(/^entry_point:.*$/gm, '')}\nentry_point: "provider.ts:P"\ntype: llm\nprovider: seed${i}\n`,
    )
    write(join(root, 'llm', `seed${i}`, 'provider.ts'), PROVIDER)
  })
  const report = await system({ paths: [root] }).discoverPlugins()
  const bad = new Set<number>()
  seeds.forEach((_, i) => {
    if (report.diagnostics.some((d) => d.file === join(root, 'llm', `seed${i}`, 'plugin.yaml') && d.severity === 'error')) bad.add(i)
  })
  return bad
}

const perRun = SOAK ? 500 : 250
const runs = SOAK ? 20 : 4

describe('a 10,000-manifest fuzz on real PepperPy manifests (1,000 in CI)', () => {
  it(
    `${perRun * runs} manifests: nothing escapes discovery or validate, nothing hangs, every invalid one has an error naming its file`,
    async () => {
      const badSeeds = await invalidSeeds()
      expect(badSeeds.size).toBeLessThan(seeds.length / 4) // the seeds are mostly usable: the fuzz is not vacuous
      let invalidSeen = 0
      let validSeen = 0
      const { unhandled } = await watchUnhandled(() =>
        fc.assert(
          fc.asyncProperty(fc.array(aCase, { minLength: perRun, maxLength: perRun }), async (cases: Case[]) => {
            const root = temp('pepperpy-fuzz-')
            try {
              const files = cases.map((c, i) => {
                const dir = join(root, `${c.typeFolder}-${i}`, `${c.providerFolder}-${i}`)
                write(join(dir, 'provider.ts'), PROVIDER)
                const file = join(dir, 'plugin.yaml')
                if (c.fifo) {
                  execFileSync('mkfifo', [file])
                  return file
                }
                const extra = [`entry_point: ${c.entry.yaml}`]
                if (c.declaredType !== null) extra.push(`type: ${JSON.stringify(`${c.declaredType}-${i}`)}`)
                if (c.declaredProvider !== null) extra.push(`provider: ${JSON.stringify(`${c.declaredProvider}-${i}`)}`)
                return write(file, `${seeds[c.seed]!.replace(/^entry_point:.*$/gm, '')}\n${extra.join('\n')}\n`)
              })
              const s = system({ paths: [root] })
              const report = await s.discoverPlugins()
              const listed = new Set(s.listPlugins().map((p) => p.manifestPath))
              // two cases of a seed that declares its own type/provider share an id: the later root or folder wins, with a warning naming both
              const shadowed = (file: string) => report.diagnostics.some((d) => d.message.includes(`overrides ${file} `))
              cases.forEach((c, i) => {
                const file = files[i]!
                const errors = report.diagnostics.filter((d) => d.file === file && d.severity === 'error')
                const type = c.declaredType ?? c.typeFolder
                const provider = c.declaredProvider ?? c.providerFolder
                const badName = !VALID_NAME.test(`${type}-${i}`) || !VALID_NAME.test(`${provider}-${i}`)
                // a declared name overrides the folder, but only when the seed does not declare its own first
                const seedDeclares = /^(type|plugin_type|provider|provider_name):/m.test(seeds[c.seed]!)
                const invalid = c.fifo || c.entry.bad === true || badSeeds.has(c.seed) || (badName && !seedDeclares)
                const what = `${file}\n${JSON.stringify(c)}\n${JSON.stringify(report.diagnostics.filter((d) => d.file === file))}`
                if (invalid) {
                  invalidSeen++
                  expect(errors.length, what).toBeGreaterThan(0)
                  expect(listed.has(file), what).toBe(false)
                } else if (c.entry.bad === false && !badName) {
                  validSeen++
                  expect(errors, what).toEqual([])
                  expect(listed.has(file) || shadowed(file), what).toBe(true)
                } else expect(listed.has(file) || shadowed(file) || errors.length > 0, what).toBe(true) // never silently dropped
              })
              // the CLI reads the same roots: it exits 1 (some manifest is bad) and prints every file with an error
              const out: string[] = []
              const code = await runCli(['validate', root], {
                out: (t) => void out.push(t),
                err: (t) => void out.push(t),
                color: false,
                cwd: root,
                env: {},
              })
              expect(code).toBe(1)
              const printed = out.join('\n')
              for (const d of report.diagnostics)
                if (d.severity === 'error' && d.file?.startsWith(root)) expect(printed).toContain(`: error: `)
              expect(printed).toMatch(/error\(s\)/)
            } finally {
              rmSync(root, { recursive: true, force: true })
            }
          }),
          { numRuns: runs, seed: 14, endOnFailure: true },
        ),
      )
      expect(unhandled).toEqual([])
      expect(invalidSeen).toBeGreaterThan(perRun * runs * 0.2)
      expect(validSeen).toBeGreaterThan(perRun * runs * 0.05)
    },
    SOAK ? 3_600_000 : 300_000,
  )
})
