/**
 * reload-latency: from writing a plugin's file to the live instance running the new code, with
 * startHotReload on a real temp plugin (hot_reload: true) in a createPluginSystem.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createPluginSystem, type PepperpyPlugin } from '@pepperpy/plugins'
import { stats, type BenchCase } from '../harness.js'
import { r, silent, tempDir } from './util.js'

const source = (v: number): string => `import { PepperpyPlugin } from '@pepperpy/plugin'
export class Greeter extends PepperpyPlugin {
  calls = 0
  greet(name: string): string {
    this.calls += 1
    return \`v${v}: hello \${name}\`
  }
}
`

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!

export const reloadLatency: BenchCase = {
  id: 'reload-latency',
  what: 'file write -> live instance swapped to the new code (startHotReload, default debounce), p50 over ~20 edits',
  goal: 'p50 ≤150 ms',
  async run({ smoke }) {
    const edits = smoke ? 3 : 21
    const tmp = tempDir('reload-latency')
    const root = join(tmp.path, 'plugins')
    const dir = join(root, 'greeter', 'hello')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'plugin.yaml'), 'name: hello\nversion: 1.0.0\nentry_point: provider.ts:Greeter\nhot_reload: true\n')
    const file = join(dir, 'provider.ts')
    writeFileSync(file, source(0))
    const system = createPluginSystem({ defaultPaths: false, paths: [root], logger: silent, stateDir: join(tmp.path, 'state') })
    const errors: string[] = []
    try {
      const greeter = (await system.createProviderInstance('greeter', 'hello')) as PepperpyPlugin & { greet(n: string): string }
      await greeter.initialize()
      const watcher = await system.startHotReload()
      watcher.on('error', (e) => errors.push(e.error.message))
      await watcher.ready
      await new Promise((resolve) => setTimeout(resolve, 200))
      const times: number[] = []
      for (let v = 1; v <= edits; v++) {
        const t0 = performance.now()
        writeFileSync(file, source(v))
        // poll the caller's handle until it runs the new code
        const deadline = t0 + 10_000
        while (!greeter.greet('x').startsWith(`v${v}:`)) {
          if (performance.now() > deadline) throw new Error(`edit ${v} not picked up in 10 s; errors: ${errors.join('; ')}`)
          await new Promise((resolve) => setTimeout(resolve, 1))
        }
        times.push(performance.now() - t0)
        await new Promise((resolve) => setTimeout(resolve, 150)) // let the reloader settle before the next edit
      }
      await watcher.stop()
      const sorted = [...times].sort((a, b) => a - b)
      const s = stats(times)
      const p95 = quantile(sorted, 0.95)
      return {
        id: 'reload-latency',
        what: this.what,
        ours: s.median,
        peer: null,
        peerValue: null,
        ratio: null,
        unit: 'ms',
        samples: s.samples,
        spread: s.spread,
        goal: this.goal,
        met: s.median <= 150,
        note: `p50 ${r(s.median)} ms, p95 ${r(p95)} ms, min ${r(s.min)} ms over ${edits} edits (debounceMs 100, the default); calls counter carried: ${(greeter as unknown as { calls: number }).calls}${errors.length ? `; errors: ${errors.length}` : ''}`,
      }
    } finally {
      await system.dispose()
      tmp.dispose()
    }
  },
}
