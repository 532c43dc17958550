import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d))
    child.stderr.on('data', (d: Buffer) => (output += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

it('the kit works under node:test (test/node-test.test.mjs passes)', async () => {
  const { code, output } = await run(['--import', 'tsx', '--conditions=@pepperpy/source', '--test', 'test/node-test.test.mjs'])
  expect(output).toMatch(/^# pass 3$/m)
  expect(output).toMatch(/^# fail 0$/m)
  expect(code, output).toBe(0)
}, 120_000)
