import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

// issue 16: the docs and TSDoc cite only what a clone of the repository holds (no DESIGN.md, no "seed")
const repo = fileURLToPath(new URL('../../', import.meta.url))

function files(dir: string, keep: (f: string) => boolean): string[] {
  const out: string[] = []
  for (const name of readdirSync(join(repo, dir))) {
    if (name === 'node_modules' || name === 'dist' || name === 'api' || name.startsWith('.')) continue
    const path = join(repo, dir, name)
    if (statSync(path).isDirectory()) out.push(...files(relative(repo, path), keep))
    else if (keep(path)) out.push(path)
  }
  return out
}

it('no doc or source comment cites DESIGN.md or the seed', () => {
  const docs = [join(repo, 'README.md'), ...files('docs', (f) => f.endsWith('.md')), ...files('packages', (f) => f.endsWith('README.md'))]
  const sources = files('packages', (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f.includes('/src/'))
  const hits: string[] = []
  for (const file of [...docs, ...sources]) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if ((/\bDESIGN\b/.test(line) || /\bseed\b/i.test(line)) && !/random seed|seed = /.test(line))
          hits.push(`${relative(repo, file)}:${i + 1}: ${line.trim()}`)
      })
  }
  expect(hits).toEqual([])
})
