/**
 * Regenerates test/fixtures/yaml-test-suite/ from a clone of github.com/yaml/yaml-test-suite (its
 * `data` branch): only the test data (each case's input, expected JSON, error flag and document
 * count) plus the suite's MIT license, as one JSON file. Usage:
 *   tsx scripts/vendor-yaml-test-suite.ts <path to the suite's git dir>
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** One case of the suite, as vendored. */
export interface SuiteCase {
  /** The suite's id (`229Q`, `2G84/00` for the sub-cases of one file). */
  id: string
  name: string
  yaml: string
  /** The suite's expected JSON (one value per document, concatenated), when it has one. */
  json?: string
  /** The suite says the input is invalid YAML. */
  error: boolean
  /** Documents in the stream, from the suite's event list (`+DOC` events). */
  documents: number
}

function main(gitDir: string): void {
  const git = (...args: string[]): string => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
  const commit = git('rev-parse', 'data').trim()
  const files = new Set(git('ls-tree', '-r', '--name-only', 'data').split('\n').filter(Boolean))
  const show = (path: string): string => git('show', `data:${path}`)
  const cases: SuiteCase[] = []
  for (const file of [...files].sort()) {
    if (!file.endsWith('/in.yaml') || file.startsWith('name/') || file.startsWith('tags/')) continue
    const id = file.slice(0, -'/in.yaml'.length)
    const events = show(`${id}/test.event`)
    const c: SuiteCase = {
      id,
      name: files.has(`${id}/===`) ? show(`${id}/===`).trim() : id,
      yaml: show(file),
      error: files.has(`${id}/error`),
      documents: events.split('\n').filter((l) => l.startsWith('+DOC')).length,
    }
    if (files.has(`${id}/in.json`)) c.json = show(`${id}/in.json`)
    cases.push(c)
  }
  const out = fileURLToPath(new URL('../test/fixtures/yaml-test-suite/', import.meta.url))
  mkdirSync(out, { recursive: true })
  writeFileSync(`${out}cases.json`, `${JSON.stringify({ source: 'https://github.com/yaml/yaml-test-suite', commit, cases }, null, 1)}\n`)
  writeFileSync(`${out}LICENSE`, execFileSync('git', ['--git-dir', gitDir, 'show', 'main:License'], { encoding: 'utf8' }))
  console.log(`${cases.length} cases from data@${commit}`)
}

main(process.argv[2] ?? '.')
