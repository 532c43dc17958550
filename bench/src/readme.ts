/**
 * Writes results/latest.json into the READMEs: the table and machine line of the root README's
 * Performance section, and the table and per-case notes of bench/README.md, between
 * `<!-- bench:... -->` markers (so the published numbers are always one full run's).
 * Run: `pnpm bench:readme` (after `pnpm bench`).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import type { CaseResult } from './harness.js'
import { markdownTable } from './table.js'

interface Latest {
  machine: string
  date: string
  smoke: boolean
  results: CaseResult[]
}

const latest = JSON.parse(readFileSync(new URL('../results/latest.json', import.meta.url), 'utf8')) as Latest
if (latest.smoke) throw new Error('results/latest.json is a smoke run; run `pnpm bench` first')

const machine = `Machine: ${latest.machine}. Run: ${latest.date.slice(0, 16).replace('T', ' ')} UTC.`
const table = markdownTable(latest.results)
const notes = latest.results.map((r) => `- **${r.id}** (${r.met ? 'met' : 'missed'}): ${r.note ?? ''}`).join('\n')

/** Replaces what lies between `<!-- bench:name -->` and `<!-- /bench:name -->` in `text`. */
function fill(text: string, name: string, body: string, file: string): string {
  const start = `<!-- bench:${name} -->`
  const end = `<!-- /bench:${name} -->`
  const i = text.indexOf(start)
  const j = text.indexOf(end)
  if (i < 0 || j < i) throw new Error(`${file}: markers ${start} ... ${end} not found`)
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`
}

for (const [path, parts] of [
  ['../../README.md', { machine, table }],
  ['../README.md', { machine, table, notes }],
] as const) {
  const url = new URL(path, import.meta.url)
  let text = readFileSync(url, 'utf8')
  for (const [name, body] of Object.entries(parts)) text = fill(text, name, body, url.pathname)
  writeFileSync(url, text)
  console.log(`updated ${url.pathname}`)
}
