/**
 * isolation: an isolated plugin's method call round trip against a raw `postMessage` round trip
 * with the same payload (worker) and raw `fork()`-style IPC (process, advanced serialization);
 * start of an isolated plugin (create + initialize) against a bare worker/process start to its
 * first message; memory per isolated plugin (host RSS growth per running isolate).
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { createPluginSystem, type PepperpyPlugin } from '@pepperpy/plugins'
import { stats, type BenchCase, type CaseResult } from '../harness.js'
import { interleaved, median, r, silent } from './util.js'

type Echo = PepperpyPlugin & { echo(v: unknown): Promise<unknown> }
const payload = { text: 'x'.repeat(1024), numbers: Array.from({ length: 32 }, (_, i) => i), nested: { ok: true, at: 'now' } }
const ECHO_WORKER = `require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m)); require('node:worker_threads').parentPort.postMessage('ready')`
const ECHO_PROCESS = `process.on('message', (m) => process.send(m)); process.send('ready')`

export const isolation: BenchCase = {
  id: 'isolation',
  what: 'isolated plugin call round trip vs raw postMessage / fork IPC (1 KiB payload); start to first call vs bare start to first message; memory per isolate',
  goal: 'call ≤1.5× raw; start ≤2× bare',
  async run({ smoke }) {
    // inside the bench package, as an app's ./plugins would be: plugin code resolves the app's @pepperpy/plugin
    const path = mkdtempSync(fileURLToPath(new URL('../../.isolation-', import.meta.url)))
    const tmp = { path, dispose: () => rmSync(path, { recursive: true, force: true }) }
    const root = join(tmp.path, 'plugins')
    for (const mode of ['worker', 'process']) {
      const dir = join(root, 'echo', mode)
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'plugin.yaml'), `entry_point: provider.mjs\nisolation: ${mode}\n`)
      writeFileSync(
        join(dir, 'provider.mjs'),
        `import { PepperpyPlugin } from '@pepperpy/plugin'\nexport default class Echo extends PepperpyPlugin {\n  async echo(v) { return v }\n}\n`,
      )
    }
    const system = createPluginSystem({ defaultPaths: false, paths: [root], logger: silent, stateDir: join(tmp.path, 'state') })
    const calls = smoke ? 20 : 2000
    const starts = smoke ? 2 : 12
    const results: CaseResult[] = []
    try {
      for (const mode of ['worker', 'process'] as const) {
        const plugin = (await system.createProviderInstance('echo', mode)) as Echo
        await plugin.initialize()
        const raw = mode === 'worker' ? await rawWorker() : await rawProcess()
        const t = await interleaved(
          { ours: () => plugin.echo(payload), raw: () => raw.roundTrip(payload) },
          { warmup: smoke ? 5 : 300, samples: calls },
        )
        await raw.close()
        await plugin.cleanup()
        const ours = stats(t['ours']!)
        const peer = median(t['raw']!)
        const ratio = ours.median / peer
        results.push({
          id: `isolation-call-${mode}`,
          what: `isolated ${mode} method call round trip vs raw ${mode === 'worker' ? 'postMessage' : 'fork IPC'} (same payload)`,
          ours: ours.median * 1000,
          peer: mode === 'worker' ? 'raw postMessage' : 'raw fork IPC',
          peerValue: peer * 1000,
          ratio,
          unit: 'µs',
          samples: ours.samples,
          spread: ours.spread,
          goal: '≤1.5× raw',
          met: ratio <= 1.5,
          note: `${r(ours.median * 1000)} µs vs ${r(peer * 1000)} µs raw: ${r(ratio)}×`,
        })
        // start: a new instance each time (the class is described once, as in a running system)
        const s = await interleaved(
          {
            ours: async () => {
              const p = (await system.createProviderInstance('echo', mode)) as Echo
              await p.initialize()
              await p.echo(1)
              await p.cleanup()
            },
            bare: async () => {
              const b = mode === 'worker' ? await rawWorker() : await rawProcess()
              await b.close()
            },
          },
          { warmup: 1, samples: starts },
        )
        const start = stats(s['ours']!)
        const bare = median(s['bare']!)
        results.push({
          id: `isolation-start-${mode}`,
          what: `isolated ${mode} plugin create + initialize + first call vs bare ${mode} start to first message`,
          ours: start.median,
          peer: `bare ${mode}`,
          peerValue: bare,
          ratio: start.median / bare,
          unit: 'ms',
          samples: start.samples,
          spread: start.spread,
          goal: '≤2× bare',
          met: start.median / bare <= 2,
          note: `${r(start.median)} ms vs ${r(bare)} ms bare: ${r(start.median / bare)}× (includes the plugin's own initialize and cleanup)`,
        })
      }
      results.push(await memoryPerIsolate(system, smoke ? 2 : 8))
    } finally {
      await system.dispose()
      tmp.dispose()
    }
    return results
  },
}

async function memoryPerIsolate(system: ReturnType<typeof createPluginSystem>, n: number): Promise<CaseResult> {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const before = process.memoryUsage().rss
  const live: Echo[] = []
  for (let i = 0; i < n; i++) {
    const p = (await system.createProviderInstance('echo', 'worker')) as Echo
    await p.initialize()
    await p.echo(1)
    live.push(p)
  }
  gc?.()
  const perWorker = (process.memoryUsage().rss - before) / n / 2 ** 20
  for (const p of live) await p.cleanup()
  return {
    id: 'isolation-memory',
    what: 'host RSS growth per running worker-isolated plugin (worker isolates share the host process)',
    ours: perWorker,
    peer: null,
    peerValue: null,
    ratio: null,
    unit: 'MiB',
    samples: n,
    spread: 0,
    goal: 'reported',
    met: true,
    note: `${r(perWorker)} MiB per worker isolate over ${n} (a process isolate is a separate process: its own RSS, ~40 MiB idle on Node 20)`,
  }
}

interface Raw {
  roundTrip(m: unknown): Promise<unknown>
  close(): Promise<void>
}

async function rawWorker(): Promise<Raw> {
  const w = new Worker(ECHO_WORKER, { eval: true })
  await new Promise((resolve) => w.once('message', resolve))
  return {
    roundTrip: (m) =>
      new Promise((resolve) => {
        w.once('message', resolve)
        w.postMessage(m)
      }),
    close: async () => {
      await w.terminate()
    },
  }
}

async function rawProcess(): Promise<Raw> {
  const c = spawn(process.execPath, ['-e', ECHO_PROCESS], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' })
  await new Promise((resolve) => c.once('message', resolve))
  return {
    roundTrip: (m) =>
      new Promise((resolve) => {
        c.once('message', resolve)
        c.send(m as never)
      }),
    close: () =>
      new Promise((resolve) => {
        c.once('exit', () => resolve())
        c.kill()
      }),
  }
}
