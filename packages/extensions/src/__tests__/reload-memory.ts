// Child process for the soak test: reloads a live instance of a module holding a 200 KB payload
// N times through startHotReload (real files, chokidar, a fresh jiti loader) and prints the heap
// kept per reload after gc. Run with: node --expose-gc --conditions=@pepperpy/source --import tsx
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compileFunction } from 'node:vm'
import * as contract from '@pepperpy/plugin'
import type { PepperpyPlugin } from '@pepperpy/plugin'
import { createJiti } from 'jiti'
import { startHotReload } from '../hot-reload/start-hot-reload.js'
import { testHost } from './test-host.js'

const n = Number(process.argv[2] ?? 500)
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')
const payload = Array.from({ length: (200 * 1024) / 64 }, (_, i) => `${i}`.padStart(8, '0').repeat(8)).join('')
const source = (v: number) => `import { PepperpyPlugin } from '@pepperpy/plugin'
const payload = ${JSON.stringify(payload)}
export class Greeter extends PepperpyPlugin {
  calls = 0
  async greet() { this.calls++; return ${v} + payload.length }
}
`
const dir = mkdtempSync(join(tmpdir(), 'pepperpy-reload-mem-'))
const file = join(dir, 'provider.ts')
writeFileSync(file, source(0))
// jiti evaluates through vm.runInThisContext, whose V8 compilation cache keeps every distinct source
// (~200 KB per reload here); vm.compileFunction does not. This loader transpiles with jiti and
// evaluates with compileFunction, so what is measured is what the reloader itself keeps.
const jiti = createJiti(import.meta.url, { fsCache: false, moduleCache: false })
const loader = {
  async load(f: string): Promise<Record<string, unknown>> {
    const code = jiti.transform({ source: readFileSync(f, 'utf8'), filename: f, ts: true })
    const fn = compileFunction(code, ['exports', 'require', 'module'], { filename: f })
    const module = { exports: {} as Record<string, unknown> }
    fn(module.exports, (id: string) => (id === '@pepperpy/plugin' ? contract : jiti(id)), module)
    return module.exports
  },
}
const { host, create } = testHost(dir, file, { loader })
const g = await create<PepperpyPlugin & { greet(): Promise<number> }>()
await g.initialize()
const watcher = await startHotReload({ host, debounceMs: 5 })
await watcher.ready
let resolveReload: (() => void) | undefined
watcher.on('reload', () => resolveReload?.())
watcher.on('error', ({ error }) => {
  throw error
})
let version = 0
const reload = async (): Promise<void> => {
  version++
  const done = new Promise<void>((resolve) => (resolveReload = resolve))
  writeFileSync(file, source(version))
  await done
  await new Promise((r) => setTimeout(r, 80)) // let the post-reload re-check pass
  if ((await g.greet()) !== version + payload.length) throw new Error('new code not serving')
}
const heap = async (): Promise<number> => {
  await new Promise((r) => setTimeout(r, 50))
  gc()
  gc()
  return process.memoryUsage().heapUsed
}
for (let i = 0; i < 10; i++) await reload()
const h0 = await heap()
for (let i = 0; i < n; i++) await reload()
const h1 = await heap()
await watcher.stop()
rmSync(dir, { recursive: true, force: true })
process.stdout.write(`${JSON.stringify({ reloads: n, keptPerReloadBytes: (h1 - h0) / n })}\n`)
