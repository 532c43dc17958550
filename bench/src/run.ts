/**
 * `pnpm bench [--smoke] [--only id,id]`: runs every case, peers side by side in one process, prints a
 * table and writes results/latest.json (results/smoke.json with --smoke).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { cases } from './cases/index.js'
import type { CaseResult } from './harness.js'
import { markdownTable } from './table.js'

const { values } = parseArgs({ options: { smoke: { type: 'boolean', default: false }, only: { type: 'string' } } })
const only = values.only?.split(',')
const smoke = values.smoke
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`
if (!(globalThis as { gc?: unknown }).gc) console.warn('warning: run with --expose-gc (pnpm bench does) for the memory cases')

console.log(`pepperpy bench${smoke ? ' (smoke: tiny sizes, numbers mean nothing)' : ''} — ${machine}\n`)
const results: CaseResult[] = []
const started = performance.now()
for (const c of cases) {
  if (only && !only.includes(c.id)) continue
  const t0 = performance.now()
  process.stdout.write(`${c.id.padEnd(18)} `)
  try {
    const out = await c.run({ smoke })
    const list = Array.isArray(out) ? out : [out]
    results.push(...list)
    console.log(
      `${list.map((r) => `${r.met ? 'ok ' : 'MISS'} ${r.id}: ${r.note ?? ''}`).join('; ')} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    )
  } catch (error) {
    console.log(`FAILED: ${(error as Error).stack ?? String(error)}`)
    process.exitCode = 1
  }
}
console.log(`\n${markdownTable(results)}\n`)
console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`)
mkdirSync(new URL('../results/', import.meta.url), { recursive: true })
// only a full run replaces latest.json (the README's table); smoke and --only runs write aside
const file = new URL(`../results/${smoke ? 'smoke' : only ? 'partial' : 'latest'}.json`, import.meta.url)
writeFileSync(file, `${JSON.stringify({ machine, date: new Date().toISOString(), smoke, results }, null, 2)}\n`)
console.log(`wrote ${file.pathname}`)
