import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { provider, type Sandbox, sandbox } from './run.js'

let box: Sandbox
const pepperpy = (args: string[]) => box.run(args)

beforeAll(() => {
  box = sandbox()
  box.write(
    'plugins/llm/echo/plugin.yaml',
    'name: Echo\nversion: 1.2.0\ndescription: echoes\nentry_point: p.ts:Echo\nconfig_schema:\n  type: object\n  properties:\n    prefix: { type: string, default: echo, description: what to prefix }\n',
  )
  box.write('plugins/llm/echo/p.ts', provider('Echo'))
  box.write(
    'plugins/rag/memory/plugin.yaml',
    'version: 0.1.0\nentry_point: p.ts:Rag\ndependencies:\n  - { type: llm, provider: echo }\n  - { type: storage, provider: local, dependency_type: optional }\n',
  )
  box.write('plugins/rag/memory/p.ts', provider('Rag'))
})
afterAll(() => box.remove())

describe('pepperpy (in-process through runCli)', () => {
  it('list and list --json', async () => {
    const table = await pepperpy(['list'])
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/PLUGIN\s+VERSION\s+SOURCE\s+DESCRIPTION/)
    expect(table.stdout).toMatch(/llm\/echo\s+1\.2\.0\s+file\s+echoes/)
    const json = JSON.parse((await pepperpy(['list', '--json'])).stdout) as Array<{ type: string; provider: string }>
    expect(json.map((p) => `${p.type}/${p.provider}`)).toEqual(['llm/echo', 'rag/memory'])
  })

  it('info and info --json; an unknown plugin exits 1', async () => {
    const info = await pepperpy(['info', 'llm/echo'])
    expect(info.stdout).toContain('llm/echo 1.2.0')
    expect(info.stdout).toMatch(/prefix: string = "echo"\s+what to prefix/)
    const json = JSON.parse((await pepperpy(['info', 'rag/memory', '--json'])).stdout) as { manifest: { dependencies: unknown[] } }
    expect(json.manifest.dependencies).toHaveLength(2)
    const missing = await pepperpy(['info', 'llm/nope'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('plugin "llm/nope" not found. Known llm providers: llm/echo')
  })

  it('validate: exit 0 when clean, 1 with one line per problem', async () => {
    const clean = await pepperpy(['validate'])
    expect(clean.stdout).toBe('')
    expect(clean.code).toBe(0)
    const bad = mkdtempSync(join(tmpdir(), 'pepperpy-bad-'))
    mkdirSync(join(bad, 'x', 'broken'), { recursive: true })
    mkdirSync(join(bad, 'x', 'escape'), { recursive: true })
    writeFileSync(join(bad, 'x', 'broken', 'plugin.yaml'), 'name: [oops\n')
    writeFileSync(join(bad, 'x', 'escape', 'plugin.yaml'), 'entry_point: ../../../etc/passwd:X\n')
    mkdirSync(join(bad, 'x', 'typo'), { recursive: true })
    writeFileSync(join(bad, 'x', 'typo', 'plugin.yaml'), 'entrypoint: p.ts:X\n')
    const result = await pepperpy(['validate', bad])
    rmSync(bad, { recursive: true, force: true })
    expect(result.code).toBe(1)
    const lines = result.stdout.trim().split('\n')
    expect(lines).toHaveLength(4)
    expect(lines.some((l) => /broken\/plugin\.yaml: error: invalid YAML/.test(l))).toBe(true)
    expect(lines.some((l) => /escape\/plugin\.yaml: error: entry_point: .*escapes the plugin folder/.test(l))).toBe(true)
    expect(
      lines.some((l) => /typo\/plugin\.yaml: warning: entrypoint: unknown field "entrypoint": did you mean "entry_point"\?/.test(l)),
    ).toBe(true)
    expect(lines.some((l) => /typo\/plugin\.yaml: error: entry_point: entry_point is required/.test(l))).toBe(true)
    expect(result.stderr).toMatch(/0 plugin\(s\) valid, 3 failed; 3 error\(s\), 1 warning\(s\)/)
  })

  it('graph in mermaid, dot and json', async () => {
    expect((await pepperpy(['graph'])).stdout).toContain('rag_memory --> llm_echo')
    expect((await pepperpy(['graph', '--format', 'dot'])).stdout).toContain(
      '"rag/memory" -> "storage/local" [style=dashed, label="optional"];',
    )
    const json = JSON.parse((await pepperpy(['graph', '--format', 'json'])).stdout) as { edges: unknown[] }
    expect(json.edges).toHaveLength(2)
    expect((await pepperpy(['graph', '--format', 'png'])).code).toBe(2)
  })

  it('new scaffolds a plugin that validates and loads', async () => {
    const result = await pepperpy(['new', 'tts/my-voice'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('created plugins/tts/my-voice/plugin.yaml, provider.ts (validated and loaded)')
    expect(readFileSync(join(box.cwd, 'plugins/tts/my-voice/provider.ts'), 'utf8')).toContain(
      'class MyVoiceTtsPlugin extends PepperpyPlugin',
    )
    const validated = await pepperpy(['validate', 'plugins/tts/my-voice', '--load'])
    expect(validated.stderr).toBe('1 plugin(s) valid, 0 failed; 0 error(s), 0 warning(s)\n')
    expect(validated.code).toBe(0)
    expect((await pepperpy(['new', 'tts/my-voice'])).code).toBe(1)
    expect((await pepperpy(['new', 'not-a-pair'])).code).toBe(2)
  })

  it('doctor reports the library roots, plugins and problems', async () => {
    const result = await pepperpy(['doctor'])
    expect(result.stdout).toContain('Plugin roots')
    expect(result.stdout).toContain(`found   ${join(box.cwd, 'plugins')}`)
    expect(result.stdout).toContain(`absent  ${join(box.home, '.pepperpy', 'plugins')}`)
    expect(result.stdout).toMatch(/ok\s+\d+ plugin\(s\) discovered/)
    expect(result.code).toBe(0)
  })

  it('--help for every command and `help <command>`', async () => {
    for (const cmd of ['list', 'info', 'validate', 'graph', 'new', 'doctor']) {
      const help = await pepperpy([cmd, '--help'])
      expect(help.code).toBe(0)
      expect(help.stdout).toContain(`Usage: pepperpy ${cmd}`)
      expect((await pepperpy(['help', cmd])).stdout).toBe(help.stdout)
    }
    const top = await pepperpy(['--help'])
    expect(top.stdout).toContain('Commands:')
    expect(top.stdout).toContain('Exit codes: 0 ok, 1 a problem was found, 2 bad usage.')
  })
})
