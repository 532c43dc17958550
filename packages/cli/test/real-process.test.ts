import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

// the other CLI tests run in-process through runCli; these two check what only a real process shows
const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url))
// the child runs in a temp folder, so the TypeScript loader is given by URL, not by package name
const tsx = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href
const cwd = mkdtempSync(join(tmpdir(), 'pepperpy-cli-real-'))
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

function pepperpy(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@pepperpy/source', '--import', tsx, bin, ...args],
      { cwd, env: { ...process.env, HOME: cwd, PEPPERPY_PLUGIN_PATH: '', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

describe('the pepperpy bin', () => {
  it('sets the exit code of bad usage and never writes colour codes into a pipe', { timeout: 120_000 }, async () => {
    const [bad, list] = await Promise.all([pepperpy(['--frobnicate']), pepperpy(['list'], { FORCE_COLOR: '1' })])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('unknown option "--frobnicate"')
    expect(list.code).toBe(0)
    expect(list.stdout).toBe('No plugins found. Add one with `pepperpy new <type>/<provider>`.\n')
    expect(list.stdout + list.stderr).not.toContain('\x1b[')
  })
})
