import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { probeHarness } from './__tests__/harness.js'
import { isolationSpecOf } from './spec.js'
import { permissionPlan } from './permissions.js'

const h = probeHarness()
const outside = realpathSync(mkdtempSync(join(tmpdir(), 'pepperpy-outside-')))
writeFileSync(join(outside, 'secret.txt'), 'top secret')
mkdirSync(join(h.folder.dir, 'data'))
writeFileSync(join(h.folder.dir, 'data', 'in.txt'), 'granted')
mkdirSync(join(h.folder.dir, 'out'))
afterAll(() => rmSync(outside, { recursive: true, force: true }))

const causeCode = (e: unknown): unknown => (e as { cause?: { code?: unknown } }).cause?.code

describe.each(['worker', 'process'] as const)('%s isolation: Node permission model', (mode) => {
  test('reads and writes outside the grant, workers and child processes are denied with ERR_ACCESS_DENIED', async () => {
    const p = await h.probe({ isolation: mode, permissions: { fs_read: ['data'], fs_write: ['out'] } })
    await p.initialize()
    expect(await p.read(join(h.folder.dir, 'data', 'in.txt'))).toBe('granted')
    expect(await p.read(h.folder.file)).toContain('class Probe')
    const read = await p.read(join(outside, 'secret.txt')).catch((e: unknown) => e)
    expect(read).toMatchObject({ message: `probe could not read ${join(outside, 'secret.txt')}` })
    expect(causeCode(read)).toBe('ERR_ACCESS_DENIED')
    expect(await p.write(join(h.folder.dir, 'out', 'ok.txt'), 'written')).toBe(true)
    expect(readFileSync(join(h.folder.dir, 'out', 'ok.txt'), 'utf8')).toBe('written')
    const write = await p.write(join(outside, 'evil.txt'), 'x').catch((e: unknown) => e)
    expect(causeCode(write)).toBe('ERR_ACCESS_DENIED')
    const write2 = await p.write(join(h.folder.dir, 'data', 'in.txt'), 'x').catch((e: unknown) => e)
    expect(causeCode(write2)).toBe('ERR_ACCESS_DENIED')
    expect(causeCode(await p.spawnWorker().catch((e: unknown) => e))).toBe('ERR_ACCESS_DENIED')
    expect(causeCode(await p.spawnChild().catch((e: unknown) => e))).toBe('ERR_ACCESS_DENIED')
    expect(await p.echo('still fine')).toBe('still fine')
  })
})

test('child_process and worker run only when granted', async () => {
  const p = await h.probe({ isolation: 'process', permissions: { child_process: true, worker: true } })
  expect(await p.spawnChild()).toBe('child')
  expect(await p.spawnWorker()).toBe('spawned')
})

test('a permission Node cannot enforce refuses to start, naming it', () => {
  expect(() => isolationSpecOf({ isolation: 'worker', permissions: { network: false } }, '/p', 'none', '/p/plugin.yaml')).toThrow(
    /permissions\.network is not a permission Node can enforce .*Node 20 has no network permission/,
  )
  expect(() => isolationSpecOf({ isolation: 'thread' }, '/p')).toThrow(/isolation must be one of none, worker, process/)
  expect(() => isolationSpecOf({ limits: { memory_mb: -1 } }, '/p')).toThrow(/limits\.memory_mb must be a positive number/)
  expect(() => isolationSpecOf({ permissions: { fs_read: 'data' } }, '/p')).toThrow(/permissions\.fs_read must be a list of paths/)
})

test('the flags never grant workers or child processes unless the manifest does', () => {
  const none = permissionPlan(isolationSpecOf({ isolation: 'worker' }, '/p'), '/p', ['/rt'])
  expect(none.flags).toEqual(['--experimental-permission', '--allow-fs-read=/p', '--allow-fs-read=/node_modules', '--allow-fs-read=/rt'])
  const all = permissionPlan(
    isolationSpecOf(
      { isolation: 'process', permissions: { fs_read: ['/etc/x', 'd'], fs_write: ['w'], child_process: true, worker: true } },
      '/p',
    ),
    '/p',
    [],
  )
  expect(all.flags).toEqual([
    '--experimental-permission',
    '--allow-fs-read=/p',
    '--allow-fs-read=/node_modules',
    '--allow-fs-read=/etc/x',
    '--allow-fs-read=/p/d',
    '--allow-fs-write=/p/w',
    '--allow-child-process',
    '--allow-worker',
  ])
})
