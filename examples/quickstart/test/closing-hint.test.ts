import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

// the demo ends by telling the reader what to run next: that command must work as printed
const here = fileURLToPath(new URL('..', import.meta.url))

it('the closing hint of the demo runs: `cd examples/quickstart && pnpm pepperpy list`', async () => {
  const main = readFileSync(new URL('../src/main.ts', import.meta.url), 'utf8')
  const hint = /\\`cd examples\/quickstart && (pnpm pepperpy list)\\`/.exec(main)
  expect(hint?.[1]).toBe('pnpm pepperpy list')
  const { stdout } = await promisify(execFile)('pnpm', ['run', '--silent', 'pepperpy', 'list'], {
    cwd: here,
    env: { ...process.env, NO_COLOR: '1' },
  })
  for (const id of ['llm/echo', 'embeddings/hash', 'rag/memory', 'stats/counter']) expect(stdout).toMatch(new RegExp(`^${id}\\s`, 'm'))
})
