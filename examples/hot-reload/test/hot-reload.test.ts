import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

it('the handle runs new code with its state, and bad code keeps the old instance serving', async () => {
  const { stdout } = await promisify(execFile)('pnpm', ['run', '--silent', 'start'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    timeout: 60_000,
  })
  const lines = stdout.trim().split('\n')
  expect(lines[0]).toBe('Hello, Ada (v1, call 1)')
  expect(lines[1]).toBe('Hello, Ada (v1, call 2)')
  expect(lines[2]).toBe('edited provider.ts -> reloaded greeter/hello')
  expect(lines[3]).toBe('Bonjour, Ada (v2, call 3)')
  expect(lines[4]).toMatch(/^broke provider.ts -> error event: /)
  expect(lines[5]).toBe('Bonjour, Ada (v2, call 4) (the old code keeps serving)')
})
