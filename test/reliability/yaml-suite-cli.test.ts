// Issue 14: the yaml-test-suite through `pepperpy validate` as a real process (the CLI's bin run by
// tsx): every case whose YAML `yaml` rejects, and every multi-document stream, is printed as an
// error line naming its file; no case that `yaml` accepts is called invalid YAML.
import { execFile } from 'node:child_process'
import { join, relative, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { reference, suiteCases } from '../../packages/registry/test/yaml-reference.ts'
import { cleanupAll, system, temp, write } from './helpers.js'

afterEach(cleanupAll)

const repo = resolve(import.meta.dirname, '../..')
const tsx = join(repo, 'node_modules', '.bin', 'tsx')
const bin = join(repo, 'packages', 'cli', 'src', 'bin.ts')

describe('the yaml-test-suite through discoverPlugins() and pepperpy validate (a real process)', () => {
  it('prints an invalid-YAML or multi-document error for exactly the cases yaml rejects or that hold several documents', async () => {
    const root = temp()
    const cases = suiteCases()
    const files = cases.map((c) => write(join(root, 'suite', `c${c.id.replace('/', '-')}`, 'plugin.yaml'), c.yaml))
    // the functional API's path first: discoverPlugins() of a system over the same root
    const report = await system({ paths: [root] }).discoverPlugins()
    cases.forEach((c, i) => {
      const yamlErrors = report.diagnostics.filter(
        (d) => d.file === files[i] && d.severity === 'error' && /^invalid (YAML|manifest: the file holds)/.test(d.message),
      )
      expect(yamlErrors, c.id).toHaveLength(reference(c.yaml).kind === 'ok' ? 0 : 1)
    })
    const run = await promisify(execFile)(tsx, ['--conditions=@pepperpy/source', bin, 'validate', root], {
      cwd: root,
      env: { PATH: process.env['PATH'], NO_COLOR: '1', HOME: root },
      maxBuffer: 1 << 26,
      timeout: 240_000,
    }).catch((error: { code?: number; stdout: string; stderr: string }) => error)
    expect((run as { code?: number }).code).toBe(1)
    const lines = run.stdout.split('\n')
    cases.forEach((c, i) => {
      const rel = relative(root, files[i]!)
      const yamlError = lines.filter(
        (l) => l.startsWith(`${rel}: error: `) && /invalid YAML|invalid manifest: the file holds \d+ YAML documents/.test(l),
      )
      const expected = reference(c.yaml)
      if (expected.kind === 'ok') expect(yamlError, c.id).toEqual([])
      else expect(yamlError, `${c.id} ${JSON.stringify(c.yaml)}\n${lines.filter((l) => l.startsWith(rel)).join('\n')}`).toHaveLength(1)
      if (expected.kind === 'multi') expect(yamlError[0]).toContain(`holds ${expected.documents} YAML documents`)
    })
  }, 300_000)
})
