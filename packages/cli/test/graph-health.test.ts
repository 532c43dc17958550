import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createPluginSystem, MemoryStateStore, silentLogger } from '@pepperpy/plugins'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url))
const tsx = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href
let cwd: string
let home: string

function pepperpy(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@pepperpy/source', '--import', tsx, bin, ...args],
      { cwd, env: { ...process.env, HOME: home, NO_COLOR: '1', PEPPERPY_PLUGIN_PATH: '' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

function write(rel: string, text: string): string {
  const file = join(cwd, rel)
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, text)
  return file
}

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'pepperpy-cli-health-'))
  home = mkdtempSync(join(tmpdir(), 'pepperpy-home-'))
  const provider = (name: string, body = '') =>
    `import { PepperpyPlugin } from '@pepperpy/plugin'\nexport class ${name} extends PepperpyPlugin {${body}}\n`
  write('plugins/db/pg/plugin.yaml', 'entry_point: p.ts:Db\n')
  write('plugins/db/pg/p.ts', provider('Db', " override async initialize() { throw new Error('connect ECONNREFUSED') } "))
  write('plugins/reports/daily/plugin.yaml', 'entry_point: p.ts:Reports\ndependencies:\n  - db/pg\n')
  write('plugins/reports/daily/p.ts', provider('Reports'))
  write('plugins/llm/echo/plugin.yaml', 'entry_point: p.ts:Echo\n')
  write('plugins/llm/echo/p.ts', provider('Echo'))
  // a real boot that survives the failure, saved as a health snapshot
  const system = createPluginSystem({
    paths: [join(cwd, 'plugins')],
    defaultPaths: false,
    env: {},
    stateStore: new MemoryStateStore(),
    logger: silentLogger,
    bootFailure: 'continue',
  })
  for (const [type, provider] of [
    ['reports', 'daily'],
    ['llm', 'echo'],
  ] as const)
    await system.manager.createInstance(type, provider)
  await system.manager.initialize()
  write('health.json', JSON.stringify(system.manager.health(), null, 2))
  await system.dispose()
}, 60_000)
afterAll(() => {
  rmSync(cwd, { recursive: true, force: true })
  rmSync(home, { recursive: true, force: true })
})

describe('pepperpy graph --health', { timeout: 90_000 }, () => {
  it('marks the failed and the skipped plugin in mermaid, dot and json', async () => {
    const mermaid = await pepperpy(['graph', '--health', 'health.json'])
    expect(mermaid.code).toBe(0)
    expect(mermaid.stdout).toContain('db_pg["db/pg (failed)"]')
    expect(mermaid.stdout).toContain('reports_daily["reports/daily (skipped)"]')
    expect(mermaid.stdout).toContain('llm_echo["llm/echo"]')
    expect(mermaid.stdout).toContain('class db_pg failed')
    expect(mermaid.stdout).toContain('class reports_daily skipped')
    expect(mermaid.stdout).toContain('reports_daily --> db_pg')

    const dot = await pepperpy(['graph', '--format', 'dot', '--health', 'health.json'])
    expect(dot.stdout).toContain('"db/pg" [label="db/pg\\n(failed)", style=filled, fillcolor="#ffdddd", color="#cc0000"];')
    expect(dot.stdout).toContain('"reports/daily" [label="reports/daily\\n(skipped)"')

    const json = JSON.parse((await pepperpy(['graph', '--format', 'json', '--health', 'health.json'])).stdout) as {
      nodes: Array<{ id: string; state?: string; error?: string }>
    }
    const byId = Object.fromEntries(json.nodes.map((n) => [n.id, n]))
    expect(byId['db/pg']).toMatchObject({ state: 'failed', error: 'connect ECONNREFUSED' })
    expect(byId['reports/daily']).toMatchObject({ state: 'skipped', error: 'requires db/pg, which failed to initialize' })
    expect(byId['llm/echo']).toMatchObject({ state: 'initialized' })
  })

  it('without --health nothing is marked; a bad snapshot is a clear error naming the file', async () => {
    const plain = await pepperpy(['graph'])
    expect(plain.stdout).not.toContain('(failed)')
    expect(plain.stdout).not.toContain('classDef')
    const missing = await pepperpy(['graph', '--health', 'nope.json'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('cannot read the health snapshot nope.json')
    write('bad.json', JSON.stringify({ plugins: [{ id: 'db/pg', state: 'broken' }] }))
    const bad = await pepperpy(['graph', '--health', 'bad.json'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('bad.json: plugins[0] needs an "id" and a "state"')
  })
})
