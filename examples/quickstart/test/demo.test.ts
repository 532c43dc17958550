import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, expect, it } from 'vitest'

const stateDir = mkdtempSync(join(tmpdir(), 'pepperpy-demo-'))
afterAll(() => rmSync(stateDir, { recursive: true, force: true }))

async function demo(): Promise<string> {
  const { stdout } = await promisify(execFile)('pnpm', ['run', '--silent', 'demo'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, PEPPERPY_STATE_DIR: stateDir, NO_COLOR: '1' },
  })
  return stdout
}

it('tours the system, and the persistent counter goes up on every run', async () => {
  const first = await demo()
  for (const expected of [
    'llm/echo',
    'embeddings/hash',
    'rag/memory',
    'stats/counter', // discovery
    'llm/echo says: echo: What is the capital of France?', // create + use
    'shout (really llm/echo): echo: HELLO PLUGINS', // alias
    'asked for llm/openai, got llm/echo', // fallback
    'initialization order: embeddings/hash -> rag/memory', // dependencies
    'rag.query(\'capital of France\') -> ["Paris is the capital of France."',
    'tokenizer created — instance #1', // shared resource, once
    'this demo has run 1 time',
    'ctx: bye', // autoContext
    'boot ', // boot report
    'db/flaky FAILED after',
    'reports/daily skipped: requires db/flaky, which failed to initialize',
    'health: degraded',
    'flowchart LR', // graph
  ])
    expect(first).toContain(expected)
  expect(first.match(/tokenizer created/g)).toHaveLength(1)
  const second = await demo()
  expect(second).toContain('this demo has run 2 times')
})
