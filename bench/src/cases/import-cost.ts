/**
 * import-cost: `import('@pepperpy/plugins')` in a fresh node process, minus bare node, as a share of
 * bare node's own start-up (goal ≤0.2×). Uses the
 * built dist when every package has one; otherwise the TypeScript sources through tsx (minus a
 * node+tsx baseline) and, as the closest stand-in for dist, an esbuild bundle of the sources.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stats, type BenchCase } from '../harness.js'
import { r, tempDir } from './util.js'

const benchDir = fileURLToPath(new URL('../../', import.meta.url))
const repo = join(benchDir, '..')

function time(args: string[]): number {
  const t0 = performance.now()
  const res = spawnSync(process.execPath, args, {
    cwd: benchDir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  })
  const ms = performance.now() - t0
  if (res.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${res.stderr.toString().split('\n').slice(0, 3).join(' ')}`)
  return ms
}

/** Median wall time of each command, run interleaved `runs` times after one warm-up. */
function compare(commands: Record<string, string[]>, runs: number): Record<string, number> {
  const names = Object.keys(commands)
  for (const n of names) time(commands[n]!)
  const out: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]))
  for (let i = 0; i < runs; i++) for (const n of names) out[n]!.push(time(commands[n]!))
  return Object.fromEntries(names.map((n) => [n, stats(out[n]!).median]))
}

const IMPORT = "await import('@pepperpy/plugins')"

export const importCost: BenchCase = {
  id: 'import-cost',
  what: "import('@pepperpy/plugins') in a fresh node process, over bare node",
  goal: '≤0.2× bare node start-up',
  async run({ smoke }) {
    const runs = smoke ? 2 : 30
    const pkgs = readdirSync(join(repo, 'packages')).filter((p) => p !== 'cli')
    const built = pkgs.every((p) => existsSync(join(repo, 'packages', p, 'dist', 'index.js')))
    if (built) {
      // the floors beside it: the ESM loader's own start (an empty module), and @pepperpy/plugin
      // alone (the contract, what a plugin's own `import { PepperpyPlugin }` costs)
      const m = compare(
        {
          bare: ['-e', ''],
          esm: ['--input-type=module', '-e', ''],
          contract: ['--input-type=module', '-e', "await import('@pepperpy/plugin')"],
          ours: ['--input-type=module', '-e', IMPORT],
        },
        runs,
      )
      const over = m['ours']! - m['bare']!
      const floor = (name: string): string => `+${r(m[name]! - m['bare']!)} ms (${r((m[name]! - m['bare']!) / m['bare']!)}×)`
      return {
        id: 'import-cost',
        what: this.what,
        ours: over,
        peer: 'bare node',
        peerValue: m['bare']!,
        ratio: over / m['bare']!,
        unit: 'ms',
        samples: runs,
        spread: 0,
        goal: this.goal,
        met: over / m['bare']! <= 0.2,
        note: `built dist: ${r(m['ours']!)} ms vs bare node ${r(m['bare']!)} ms: +${r(over)} ms, ${r(over / m['bare']!)}× bare node's start-up; floors in the same run: an empty ES module ${floor('esm')}, @pepperpy/plugin alone ${floor('contract')}`,
      }
    }
    // no dist: bundle the sources the way tsup would (third-party deps external; they load lazily)
    const tmp = tempDir('import-cost')
    try {
      const bundle = join(tmp.path, 'plugins.mjs')
      execFileSync(
        join(repo, 'node_modules', '.bin', 'esbuild'),
        [
          join(repo, 'packages/plugins/src/index.ts'),
          '--bundle',
          '--platform=node',
          '--format=esm',
          '--target=node20',
          '--conditions=@pepperpy/source',
          '--external:yaml',
          '--external:ajv',
          '--external:jiti',
          '--external:semver',
          '--external:chokidar',
          `--outfile=${bundle}`,
          '--log-level=error',
        ],
        { cwd: benchDir },
      )
      const tsxArgs = ['--conditions=@pepperpy/source', '--import', 'tsx']
      const m = compare(
        {
          bare: ['-e', ''],
          bundle: ['--input-type=module', '-e', `await import(${JSON.stringify(bundle)})`],
          tsxBare: [...tsxArgs, '-e', ''],
          tsxSource: [...tsxArgs, '--input-type=module', '-e', IMPORT],
        },
        runs,
      )
      const overSource = m['tsxSource']! - m['tsxBare']!
      const overBundle = m['bundle']! - m['bare']!
      return {
        id: 'import-cost',
        what: this.what,
        ours: overSource,
        peer: 'bare node',
        peerValue: m['bare']!,
        ratio: overSource / m['tsxBare']!,
        unit: 'ms',
        samples: runs,
        spread: 0,
        goal: this.goal,
        met: overSource / m['tsxBare']! <= 0.2,
        note: `no packages/*/dist (only some are built), so the sources load through tsx with the @pepperpy/source condition: ${r(m['tsxSource']!)} ms vs node+tsx alone ${r(m['tsxBare']!)} ms (+${r(overSource)} ms, transpiling included); an esbuild bundle of the same sources (what dist approximates): ${r(m['bundle']!)} ms vs bare node ${r(m['bare']!)} ms (+${r(overBundle)} ms)`,
      }
    } finally {
      tmp.dispose()
    }
  },
}
