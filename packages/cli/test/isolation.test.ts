import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'

const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url))
const tsx = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href
let cwd: string

function pepperpy(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@pepperpy/source', '--import', tsx, bin, ...args],
      { cwd, env: { ...process.env, HOME: cwd, NO_COLOR: '1', PEPPERPY_PLUGIN_PATH: '' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

function write(rel: string, text: string): void {
  const file = join(cwd, rel)
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, text)
}

beforeAll(() => {
  cwd = realpathSync(mkdtempSync(join(tmpdir(), 'pepperpy-cli-iso-')))
  const provider = 'import { PepperpyPlugin } from "@pepperpy/plugin"\nexport default class P extends PepperpyPlugin {}\n'
  write(
    'plugins/llm/boxed/plugin.yaml',
    'entry_point: p.ts\nisolation: process\nlimits: { memory_mb: 64, call_timeout_ms: 5000 }\nrestart: { max: 2, window_ms: 60000 }\npermissions: { fs_read: [data], fs_write: [/tmp/out], child_process: true }\n',
  )
  write('plugins/llm/boxed/p.ts', provider)
  write('plugins/llm/plain/plugin.yaml', 'entry_point: p.ts\n')
  write('plugins/llm/plain/p.ts', provider)
  write('plugins/llm/wrong/plugin.yaml', 'entry_point: p.ts\nisolation: worker\npermissions: { network: false }\n')
  write('plugins/llm/wrong/p.ts', provider)
})
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

it('info shows isolation, limits and effective permissions (text and --json)', async () => {
  const boxed = await pepperpy(['info', 'llm/boxed'])
  expect(boxed.code).toBe(0)
  const dir = join(cwd, 'plugins', 'llm', 'boxed')
  expect(boxed.stdout).toMatch(/isolation\s+process/)
  expect(boxed.stdout).toMatch(/limits\s+memory 64 MB, calls 5000 ms/)
  expect(boxed.stdout).toMatch(/restart\s+disabled after 2 crashes within 60000 ms/)
  expect(boxed.stdout).toContain(`reads         ${dir}, ${join(dir, 'data')}`)
  expect(boxed.stdout).toMatch(/writes\s+\/tmp\/out/)
  expect(boxed.stdout).toMatch(/child procs\s+allowed/)
  expect(boxed.stdout).toMatch(/workers\s+denied/)
  expect(boxed.stdout).toMatch(/not enforced\s+network \(Node 20 has no network permission\)/)
  expect((await pepperpy(['info', 'llm/plain'])).stdout).toMatch(/isolation\s+none \(runs in the host process\)/)
  const json = JSON.parse((await pepperpy(['info', 'llm/boxed', '--json'])).stdout) as { isolation: Record<string, unknown> }
  expect(json.isolation).toMatchObject({
    mode: 'process',
    memoryMb: 64,
    permissions: { fsRead: [dir, join(dir, 'data')], childProcess: true, worker: false },
  })
})

it('doctor shows what the platform enforces, each isolated plugin, and refuses a permission it cannot enforce', async () => {
  const result = await pepperpy(['doctor'])
  expect(result.stdout).toContain('Isolation')
  expect(result.stdout).toMatch(/enforces file reads and writes, child processes and workers .* network access is not enforced/)
  expect(result.stdout).toMatch(/ok\s+llm\/boxed: isolation\s+process; .*child procs\s+allowed; workers\s+denied/)
  expect(result.stdout).toMatch(/error llm\/wrong: .*permissions\.network is not a permission Node can enforce/)
  expect(result.code).toBe(1)
})
