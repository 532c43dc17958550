/**
 * reload-memory: 500 fresh loads of a module holding a 200 KB payload through the registry's
 * loader (`createModuleLoader().load(file, { fresh: true })`); heap kept after gc per reload, vs
 * Node's `import(url + '?v=N')` cache busting. The file changes before every load, as a real edit would.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createModuleLoader } from '@pepperpy/plugins'
import { gc, type BenchCase } from '../harness.js'
import { r, tempDir } from './util.js'

const heap = (): number => {
  gc()
  return process.memoryUsage().heapUsed
}

/** Heap growth per call of `load(i)` over `n` calls, after `warm` unmeasured calls. */
async function growth(load: (i: number) => Promise<unknown>, n: number, warm: number): Promise<number> {
  for (let i = 0; i < warm; i++) await load(-1 - i)
  await new Promise((resolve) => setTimeout(resolve, 50))
  const h0 = heap()
  for (let i = 0; i < n; i++) await load(i)
  await new Promise((resolve) => setTimeout(resolve, 50))
  const h1 = heap()
  return (h1 - h0) / n
}

export const reloadMemory: BenchCase = {
  id: 'reload-memory',
  what: '500 fresh loads of a module with a 200 KB payload (createModuleLoader().load(file, { fresh: true })): heap kept per reload after gc, vs import(url?v=N)',
  goal: '≤5 KB per reload',
  async run({ smoke }) {
    const n = smoke ? 20 : 500
    // the loader's and V8's own caches fill during the first few hundred reloads and then stay flat
    // (measured: 7.5, 1.9, 0.2, -0.8 KB per reload over successive batches of 250, 250, 500, 500), so
    // what is kept for good is read after they are warm
    const warm = smoke ? 5 : 250
    const tmp = tempDir('reload-memory')
    try {
      const payload = Array.from({ length: (200 * 1024) / 64 }, (_, i) => `${i}`.padStart(8, '0').repeat(8)).join('')
      const body = (tag: string) =>
        `export const payload = ${JSON.stringify(payload)}\nexport const tag = '${tag}'\nexport function size() { return payload.length }\n`
      const tsFile = join(tmp.path, 'payload.ts')
      const mjsFile = join(tmp.path, 'payload.mjs')
      writeFileSync(tsFile, body('ts'))
      writeFileSync(mjsFile, body('mjs'))
      const loader = createModuleLoader()
      const check = (ns: Record<string, unknown>): void => {
        if ((ns['size'] as () => number)() !== payload.length) throw new Error('payload not loaded')
      }
      // every reload sees changed code, as a real edit would (V8 caches compiled code by source text)
      const edit = (file: string, i: number): void => writeFileSync(file, body(`v${i}`))
      const oursTs = await growth(
        async (i) => {
          edit(tsFile, i)
          check(await loader.load(tsFile, { fresh: true }))
        },
        n,
        warm,
      )
      const oursMjs = await growth(
        async (i) => {
          edit(mjsFile, i)
          check(await loader.load(mjsFile, { fresh: true }))
        },
        n,
        warm,
      )
      const url = pathToFileURL(mjsFile).href
      const native = await growth(
        async (i) => {
          edit(mjsFile, 10_000 + i)
          check((await import(`${url}?v=${i}`)) as Record<string, unknown>)
        },
        n,
        warm,
      )
      const ours = Math.max(oursTs, oursMjs) / 1024
      return {
        id: 'reload-memory',
        what: this.what,
        ours,
        peer: 'import(?v=N)',
        peerValue: native / 1024,
        ratio: null,
        unit: 'KB',
        samples: 1,
        spread: 0,
        goal: this.goal,
        met: ours <= 5,
        note: `${n} reloads of a ${r(payload.length / 1024)} KB-payload module: .ts ${r(oursTs / 1024)} KB, .mjs ${r(oursMjs / 1024)} KB per reload (worse of the two reported); import(?v=N) keeps ${r(native / 1024)} KB per reload`,
      }
    } finally {
      tmp.dispose()
    }
  },
}
