import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { provider, type Sandbox, sandbox } from './run.js'

// issue 16: every first-hour trap of the CLI, with the exact message a user now gets
let box: Sandbox
beforeEach(() => {
  box = sandbox()
})
afterEach(() => box.remove())

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

describe('usage', () => {
  it('--version and -v print the package version', async () => {
    expect(await box.run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
    expect((await box.run(['-v'])).stdout).toBe(`${version}\n`)
  })

  it('an unknown option exits 2 naming it, with the closest option and where help is', async () => {
    expect(await box.run(['list', '--jsno'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'unknown option "--jsno"; did you mean "--json"?\nRun `pepperpy --help` for usage.\n',
    })
  })

  it('an unknown command, a stray argument and a missing option value exit 2', async () => {
    expect(await box.run(['lsit'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'unknown command "lsit"; did you mean "list"?\nRun `pepperpy --help` for usage.\n',
    })
    expect(await box.run(['doctor', 'now'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'pepperpy doctor: unexpected argument "now"\nRun `pepperpy doctor --help` for usage.\n',
    })
    expect(await box.run(['new', 'llm/x', '--dir'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'option "--dir" needs a value\nRun `pepperpy --help` for usage.\n',
    })
  })
})

describe('validate fails for plugins that cannot load', () => {
  it('a missing entry file is an error, not a warning', async () => {
    box.write('plugins/llm/ghost/plugin.yaml', 'entry_point: missing.ts:Ghost\n')
    expect(await box.run(['validate'])).toEqual({
      code: 1,
      stdout: 'plugins/llm/ghost/plugin.yaml: error: entry_point: entry module not found for "missing.ts:Ghost"; tried missing.ts\n',
      stderr: '0 plugin(s) valid, 1 failed; 1 error(s), 0 warning(s) (entry points not imported; add --load to import them)\n',
    })
  })

  it('an invalid config_schema is an error naming config_schema', async () => {
    box.write('plugins/llm/bad-schema/plugin.yaml', 'entry_point: p.ts:P\nconfig_schema:\n  type: objekt\n')
    box.write('plugins/llm/bad-schema/p.ts', provider('P'))
    const result = await box.run(['validate'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe(
      'plugins/llm/bad-schema/plugin.yaml: error: config_schema: is not a valid JSON Schema: schema is invalid: data/type must be equal to one of the allowed values, data/type must be array, data/type must match a schema in anyOf; fix config_schema in the manifest\n',
    )
    expect(result.stderr).toMatch(/^0 plugin\(s\) valid, 1 failed; 1 error\(s\)/)
  })

  it('--load: each problem once, labelled with its real field, failed plugins counted as failed', async () => {
    box.write('plugins/llm/ghost/plugin.yaml', 'entry_point: missing.ts:Ghost\n')
    box.write('plugins/llm/wrong-export/plugin.yaml', 'entry_point: p.ts:Nope\n')
    box.write('plugins/llm/wrong-export/p.ts', provider('P'))
    box.write(
      'plugins/llm/bad-default/plugin.yaml',
      'entry_point: p.ts:P\nconfig_schema:\n  type: object\n  properties:\n    retries: { type: integer }\ndefault_config:\n  retries: many\n',
    )
    box.write('plugins/llm/bad-default/p.ts', provider('P'))
    box.write(
      'plugins/llm/needs-key/plugin.yaml',
      'entry_point: p.ts:P\nconfig_schema:\n  type: object\n  required: [api_key]\n  properties:\n    api_key: { type: string }\n',
    )
    box.write('plugins/llm/needs-key/p.ts', provider('P'))
    box.write('plugins/llm/fine/plugin.yaml', 'entry_point: p.ts:P\n')
    box.write('plugins/llm/fine/p.ts', provider('P'))
    const result = await box.run(['validate', '--load'])
    const folder = join(box.cwd, 'plugins/llm/wrong-export/p.ts')
    expect(result.stdout.split('\n')).toEqual([
      'plugins/llm/ghost/plugin.yaml: error: entry_point: entry module not found for "missing.ts:Ghost"; tried missing.ts',
      'plugins/llm/bad-default/plugin.yaml: error: default_config.retries: must be integer (from manifest); fix the manifest',
      // the key's own message (with its environment variable) is the registry's
      expect.stringMatching(
        /^plugins\/llm\/needs-key\/plugin\.yaml: warning: config_schema: loads, but needs config to be created: api_key: /,
      ),
      `plugins/llm/wrong-export/plugin.yaml: error: entry_point: ${folder} has no export "Nope"; it exports P; fix entry_point in the manifest or the module it names`,
      '',
    ])
    expect(result.stdout).not.toContain('add a plugin.yaml')
    expect(result.stderr).toBe('2 plugin(s) valid, 3 failed; 3 error(s), 1 warning(s)\n')
    expect(result.code).toBe(1)
  })

  it('validate <dir>/plugin.yaml checks that file only', async () => {
    box.write('plugins/llm/good/plugin.yaml', 'entry_point: p.ts:P\n')
    box.write('plugins/llm/good/p.ts', provider('P'))
    box.write('plugins/llm/broken/plugin.yaml', 'entry_point: [oops\n')
    expect(await box.run(['validate', 'plugins/llm/good/plugin.yaml', '--load'])).toEqual({
      code: 0,
      stdout: '',
      stderr: '1 plugin(s) valid, 0 failed; 0 error(s), 0 warning(s)\n',
    })
    // a manifest that declares type and provider is checked in its own folder: nothing above it is scanned
    box.write('loose/plugin.yaml', 'type: llm\nprovider: loose\nentry_point: missing.ts\n')
    expect(await box.run(['validate', 'loose/plugin.yaml'])).toEqual({
      code: 1,
      stdout: 'loose/plugin.yaml: error: entry_point: entry module not found for "missing.ts"; tried missing.ts\n',
      stderr: '0 plugin(s) valid, 1 failed; 1 error(s), 0 warning(s) (entry points not imported; add --load to import them)\n',
    })
  })
})

describe('doctor', () => {
  it('lists the roots the library searches and says when nothing was found from a subfolder', async () => {
    box.write('package.json', '{ "name": "app", "type": "module" }\n')
    box.write('plugins/llm/good/plugin.yaml', 'entry_point: p.ts:P\n')
    box.write('plugins/llm/good/p.ts', provider('P'))
    box.write('src/index.ts', '')
    const result = await box.run(['doctor'], { cwd: join(box.cwd, 'src') })
    expect(result.stdout).toContain(`absent  ${join(box.cwd, 'src', 'plugins')}`)
    expect(result.stdout).toContain(
      `warn  0 plugins found from ${join(box.cwd, 'src')}; ./plugins is relative to the working directory and ${join(box.cwd, 'plugins')} exists: run from ${box.cwd}, or pass --path ../plugins (in code: registerPluginPath)`,
    )
    expect((await box.run(['doctor', '--path', '../plugins'], { cwd: join(box.cwd, 'src') })).stdout).toMatch(
      /ok\s+1 plugin\(s\) discovered/,
    )
  })
})

describe('new', () => {
  it('imports PepperpyPlugin from the package the app installed', async () => {
    box.write('package.json', '{ "type": "module", "dependencies": { "@pepperpy/plugins": "^0.1.0" } }\n')
    expect((await box.run(['new', 'llm/one'])).code).toBe(0)
    expect(readFileSync(join(box.cwd, 'plugins/llm/one/provider.ts'), 'utf8')).toMatch(
      /^import \{ PepperpyPlugin \} from '@pepperpy\/plugins'\n/,
    )
    box.write('package.json', '{ "type": "module", "peerDependencies": { "@pepperpy/plugin": "^0.1.0" } }\n')
    expect((await box.run(['new', 'llm/two'])).code).toBe(0)
    expect(readFileSync(join(box.cwd, 'plugins/llm/two/provider.ts'), 'utf8')).toMatch(
      /^import \{ PepperpyPlugin \} from '@pepperpy\/plugin'\n/,
    )
  })
})
