import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'

const workspace = fileURLToPath(new URL('../../../', import.meta.url))
const bin = join(workspace, 'packages/cli/src/bin.ts')
const tsx = new URL('node_modules/tsx/dist/loader.mjs', `file://${workspace}`).href
let cwd: string

function node(args: string[], at: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: at, env: { ...process.env, NO_COLOR: '1', PEPPERPY_PLUGIN_PATH: '', NODE_OPTIONS: '' }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

const pepperpy = (args: string[], at = cwd) => node(['--conditions=@pepperpy/source', '--import', tsx, bin, ...args], at)

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'pepperpy-new-package-'))
})
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

it('new --package scaffolds a publishable plugin package whose test passes right away', async () => {
  const made = await pepperpy(['new', '--package', '@acme/pepperpy-tts', 'tts/acme-voice'])
  expect(made.stderr).toBe('')
  expect(made.code).toBe(0)
  expect(made.stdout).toContain('created pepperpy-tts/ (package @acme/pepperpy-tts, plugin tts/acme-voice)')
  const dir = join(cwd, 'pepperpy-tts')
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  expect(pkg).toMatchObject({
    name: '@acme/pepperpy-tts',
    type: 'module',
    peerDependencies: { '@pepperpy/plugin': expect.stringMatching(/^\^\d+\.\d+\.\d+/) },
    pepperpy: { plugins: ['plugins/tts/acme-voice/plugin.yaml'] },
  })
  expect(pkg.dependencies).toBeUndefined()
  expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['@pepperpy/plugin', '@pepperpy/testing']))
  expect(readFileSync(join(dir, 'test/plugin.test.ts'), 'utf8')).toContain("from '@pepperpy/testing'")
  expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('PEPPERPY_TTS__ACME_VOICE__GREETING')

  // what `pnpm install` would give it, linked from the workspace
  mkdirSync(join(dir, 'node_modules/@pepperpy'), { recursive: true })
  for (const name of ['plugin', 'testing']) symlinkSync(join(workspace, 'packages', name), join(dir, 'node_modules/@pepperpy', name), 'dir')
  const test = await node(['--conditions=@pepperpy/source', '--import', tsx, '--test', 'test/plugin.test.ts'], dir)
  expect(test.stdout, test.stdout + test.stderr).toMatch(/^# pass 2$/m)
  expect(test.stdout).toMatch(/^# fail 0$/m)
  expect(test.code).toBe(0)

  // an app that depends on the package finds the plugin by package discovery (package.json pepperpy.plugins)
  const app = join(cwd, 'app')
  mkdirSync(join(app, 'node_modules/@acme'), { recursive: true })
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, dependencies: { '@acme/pepperpy-tts': '^0.1.0' } }))
  symlinkSync(dir, join(app, 'node_modules/@acme/pepperpy-tts'), 'dir')
  const listed = await pepperpy(['list', '--json'], app)
  expect(listed.code).toBe(0)
  expect(JSON.parse(listed.stdout)).toContainEqual(expect.objectContaining({ type: 'tts', provider: 'acme-voice', source: 'package' }))
}, 180_000)

it('new --package refuses a bad name, a bad id and a non-empty folder', async () => {
  expect((await pepperpy(['new', '--package', 'Bad Name'])).code).toBe(2)
  expect((await pepperpy(['new', '--package', 'pepperpy-plugin-x', 'no-slash'])).code).toBe(2)
  const again = await pepperpy(['new', '--package', '@acme/pepperpy-tts', 'tts/acme-voice'])
  expect(again.code).toBe(1)
  expect(again.stderr).toContain('pepperpy-tts already exists and is not empty')
  const derived = await pepperpy(['new', '--package', 'pepperpy-plugin-weather'])
  expect(derived.code).toBe(0)
  expect(derived.stdout).toContain('plugin tool/weather')
}, 120_000)
