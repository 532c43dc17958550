import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

it('discovers the third-party package and runs both of its plugins', async () => {
  const { stdout } = await promisify(execFile)('pnpm', ['run', '--silent', 'start'], { cwd: fileURLToPath(new URL('..', import.meta.url)) })
  expect(stdout).toContain('found tts/acme (package)')
  expect(stdout).toContain('found tts/acme-fast (package)')
  expect(stdout).toContain('[robot x1] plugins · from · packages')
  expect(stdout).toContain('[robot x2] plugins · from · packages')
})
