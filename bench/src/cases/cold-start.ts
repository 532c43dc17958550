/**
 * cold-start: `node app.mjs` to the first plugin call, as whole processes, against a plain script
 * that imports the same plugin module and calls it. Every contender runs once per round, rounds
 * interleaved (A, B, C..., A, B, C...), medians over the rounds; the ratios are what holds. Apps
 * and their caches live in a temp folder; the "first run" contenders delete the app's cache
 * (`node_modules/.cache/pepperpy`) before each run, the others run with the cache the previous
 * runs left (what every run after the first one sees).
 */
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { stats, type BenchCase, type CaseResult } from '../harness.js'
import { countManifests, writeApp } from './cold-start-app.js'
import { r, tempDir } from './util.js'

interface Contender {
  cwd: string
  args: string[]
  /** Runs before each timed run, untimed. */
  before?: () => void
}

function time(c: Contender, env: NodeJS.ProcessEnv): number {
  c.before?.()
  const t0 = performance.now()
  const res = spawnSync(process.execPath, c.args, { cwd: c.cwd, env, stdio: ['ignore', 'ignore', 'pipe'] })
  const ms = performance.now() - t0
  if (res.status !== 0)
    throw new Error(`node ${c.args.join(' ')} in ${c.cwd} failed: ${res.stderr.toString().split('\n').slice(0, 6).join(' | ')}`)
  return ms
}

export const coldStart: BenchCase = {
  id: 'cold-start',
  what: 'node app.mjs to the first plugin call (createProviderInstance + autoContext + one call), whole processes',
  goal: '≤1.3× plain import (.mjs); .ts ≤1.3× .mjs; 90 manifests ≤1.5× plain import',
  async run({ smoke }) {
    const tmp = tempDir('cold-start')
    try {
      const small = join(tmp.path, 'app')
      const big = join(tmp.path, 'app-90')
      writeApp(small, false)
      writeApp(big, true)
      const manifests = countManifests(join(big, 'plugins'))
      const home = join(tmp.path, 'home')
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', HOME: home, USERPROFILE: home }
      for (const key of ['PEPPERPY_CACHE', 'PEPPERPY_CACHE_DIR', 'PEPPERPY_PLUGIN_PATH']) delete env[key]
      const empty = (dir: string) => () => rmSync(join(dir, 'node_modules/.cache/pepperpy'), { recursive: true, force: true })
      const contenders: Record<string, Contender> = {
        bare: { cwd: small, args: ['-e', ''] },
        plain: { cwd: small, args: ['plain.mjs'] },
        mjs: { cwd: small, args: ['app-mjs.mjs'] },
        ts: { cwd: small, args: ['app-ts.mjs'] },
        tsFirst: { cwd: small, args: ['app-ts.mjs'], before: empty(small) },
        big: { cwd: big, args: ['app-mjs.mjs'] },
        bigFirst: { cwd: big, args: ['app-mjs.mjs'], before: empty(big) },
      }
      const names = Object.keys(contenders)
      const rounds = smoke ? 1 : 24
      if (!smoke) for (const n of names) time(contenders[n]!, env)
      const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]))
      for (let i = 0; i < rounds; i++) for (const n of names) samples[n]!.push(time(contenders[n]!, env))
      const s = Object.fromEntries(names.map((n) => [n, stats(samples[n]!)]))
      const m = (n: string): number => s[n]!.median
      const spread = (...ns: string[]): number => Math.max(...ns.map((n) => s[n]!.spread))
      const row = (
        id: string,
        ours: string,
        peerName: string,
        peer: string,
        goal: string,
        limit: number | undefined,
        note: string,
      ): CaseResult => {
        const ratio = m(ours) / m(peer)
        return {
          id,
          what: this.what,
          ours: m(ours),
          peer: peerName,
          peerValue: m(peer),
          ratio,
          unit: 'ms',
          samples: rounds,
          spread: spread(ours, peer),
          goal,
          met: limit === undefined ? true : ratio <= limit,
          note,
        }
      }
      const over = (n: string): string => `${r(m(n) - m('bare'))} ms over bare node (${r(m('bare'))} ms)`
      return [
        row(
          'cold-start-mjs',
          'mjs',
          'plain import + call',
          'plain',
          '≤1.3× plain import',
          1.3,
          `two-plugin app, .mjs plugin: ${r(m('mjs'))} ms vs plain script ${r(m('plain'))} ms (${r(m('mjs') / m('plain'))}×); ${over('mjs')}; plain ${over('plain')}`,
        ),
        row(
          'cold-start-ts',
          'ts',
          '.mjs plugin (same app)',
          'mjs',
          '≤1.3× the .mjs plugin',
          1.3,
          `two-plugin app, .ts plugin: ${r(m('ts'))} ms vs its .mjs plugin ${r(m('mjs'))} ms (${r(m('ts') / m('mjs'))}×), ${r(m('ts') / m('plain'))}× the plain import`,
        ),
        row(
          'cold-start-ts-first',
          'tsFirst',
          '.mjs plugin (same app)',
          'mjs',
          'reported: first run, empty cache',
          undefined,
          `.ts plugin with the cache deleted before each run (TypeScript transformed, manifests parsed): ${r(m('tsFirst'))} ms, ${r(m('tsFirst') / m('mjs'))}× the .mjs plugin with its cache, ${r(m('tsFirst') / m('plain'))}× the plain import`,
        ),
        row(
          'cold-start-90',
          'big',
          'plain import + call',
          'plain',
          '≤1.5× plain import',
          1.5,
          `${manifests} manifests in ./plugins (PepperPy's 88 and the two), .mjs plugin called: ${r(m('big'))} ms vs plain ${r(m('plain'))} ms (${r(m('big') / m('plain'))}×)`,
        ),
        row(
          'cold-start-90-first',
          'bigFirst',
          'plain import + call',
          'plain',
          'reported: first run, empty cache',
          undefined,
          `the same with the cache deleted before each run: ${r(m('bigFirst'))} ms (${r(m('bigFirst') / m('plain'))}× plain, ${r(m('bigFirst') / m('big'))}× the run with a cache)`,
        ),
      ]
    } finally {
      tmp.dispose()
    }
  },
}
