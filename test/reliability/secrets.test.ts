// Issue #9 — secrets given in config (call, env OPENAI_API_KEY, alias) never reach logs, state, toJSON,
// util.inspect, error messages or CLI output.
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, FileStateStore, PepperpyPlugin, persistentPlugin } from '@pepperpy/plugins'
import { capture, cleanupAll, system, temp, write } from './helpers.js'

afterEach(cleanupAll)

const CALL = 'sk-call-SECRET-1111'
const ENV = 'sk-env-SECRET-2222'
const ALIAS = 'sk-alias-SECRET-3333'
const TOKEN = 'tok-SECRET-4444'
const all = [CALL, ENV, ALIAS, TOKEN]
const noSecret = (text: string, where: string) => {
  for (const secret of all) expect(text, `${where} leaks ${secret}`).not.toContain(secret)
}

/** A plugin that does its best to leak: it logs its key in messages, arguments, nested objects and errors. */
class Leaky extends PepperpyPlugin {
  apiKey = ''
  authToken = ''
  model = 'small'
  calls = 0
  override async initialize() {
    this.logger.info(`connecting with ${this.apiKey}`, { api_key: this.apiKey, nested: { token: this.authToken } })
    this.logger.debug('config', this.config)
    this.logger.warn(`token=${this.authToken}`)
    this.logger.error('auth failed', new Error(`auth failed for key ${this.apiKey}`))
  }
  call() {
    this.calls++
    return this.model
  }
}

describe('secrets', () => {
  it('never reach logs, state files, toJSON, util.inspect or a ConfigError about another key', async () => {
    const log = capture()
    const stateDir = join(temp(), 'state')
    const Persistent = persistentPlugin(Leaky, { debounceMs: 0, pollMs: 10 })
    const s = system({ logger: log, stateStore: new FileStateStore({ dir: stateDir, logger: log }), env: { OPENAI_API_KEY: ENV } })
    s.registerPlugin('llm', 'openai', Persistent)
    s.registerPluginAlias('llm', 'gpt', 'openai', { api_key: ALIAS, auth_token: TOKEN })
    s.registerPluginFallbacks('llm', ['missing', 'openai'])

    const fromEnv = await s.createProviderInstance('llm', 'openai')
    const fromCall = await s.createProviderInstance('llm', 'openai', { api_key: CALL, authToken: TOKEN })
    const fromAlias = await s.createProviderInstance('llm', 'gpt')
    const viaFallback = await s.createProviderInstance('llm', 'auto', { api_key: CALL }) // the system warns which provider it used
    expect((fromEnv as Leaky).apiKey).toBe(ENV)
    expect((fromCall as Leaky).apiKey).toBe(CALL)
    expect((fromAlias as Leaky).apiKey).toBe(ALIAS)
    for (const p of [fromEnv, fromCall, fromAlias, viaFallback]) {
      await p.initialize()
      ;(p as Leaky).call()
      noSecret(JSON.stringify(p), 'toJSON')
      noSecret(inspect(p, { depth: 10, showHidden: true }), 'util.inspect')
      noSecret(inspect(p.config, { depth: 10 }), 'util.inspect(config)')
      noSecret(JSON.stringify(p.config), 'JSON.stringify(config)')
      await p.cleanup()
    }
    noSecret(log.text(), 'the logs')
    expect(log.text()).toContain('connecting with')
    const files = readdirSync(stateDir)
    expect(files.length).toBeGreaterThan(0)
    for (const f of files) {
      const text = readFileSync(join(stateDir, f), 'utf8')
      noSecret(text, `state file ${f}`)
      expect(JSON.parse(text)).toMatchObject({ data: { calls: 4 } }) // one key: each instance loaded the last one's state
    }
  })

  it('a ConfigError about another key, or about the secret key itself, does not print the secret', async () => {
    const log = capture()
    const s = system({ logger: log, env: { OPENAI_API_KEY: ENV } })
    class Strict extends PepperpyPlugin {
      static override configSchema = {
        type: 'object',
        properties: { api_key: { type: 'string', minLength: 64, pattern: '^sk-real-' }, max_tokens: { type: 'integer', minimum: 1 } },
      }
    }
    s.registerPlugin('llm', 'openai', Strict)
    s.registerPluginAlias('llm', 'gpt', 'openai', { api_key: ALIAS })
    for (const [provider, config] of [
      ['openai', { api_key: CALL, max_tokens: 'lots' }],
      ['openai', { max_tokens: -1 }],
      ['gpt', { max_tokens: 0 }],
    ] as const) {
      const error = await s.createProviderInstance('llm', provider, config).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(ConfigError.is(error) || error instanceof ConfigError, String(error)).toBe(true)
      const e = error as ConfigError
      noSecret(`${e.message}\n${e.stack}\n${inspect(e, { depth: 10 })}\n${JSON.stringify(e)}`, 'the ConfigError')
      expect(e.message).toMatch(/max_tokens|api_key/)
    }
    noSecret(log.text(), 'the logs')
  })

  it('manager instances and dispose do not log secrets either (cleanup failure included)', async () => {
    const log = capture()
    const s = system({ logger: log, env: { OPENAI_API_KEY: ENV } })
    s.registerPlugin(
      'llm',
      'openai',
      class extends Leaky {
        override async cleanup() {
          throw new Error(`cannot close session of ${this.apiKey}`)
        }
      },
    )
    const p = await s.manager.createInstance('llm', 'openai', { api_key: CALL })
    await s.manager.initialize()
    const error = await s.dispose().then(
      () => undefined,
      (e: unknown) => e,
    )
    noSecret(log.text(), 'the logs')
    expect(p.initialized).toBe(false)
    // the plugin's own Error text is the plugin's business; the system must not add the secret to it
    if (error) noSecret(String((error as Error).message).replaceAll(`cannot close session of ${CALL}`, ''), 'dispose error')
  })
})

describe('secrets by schema, shape and position (DESIGN decision 22)', () => {
  const DSN = 'host=db.internal dbname=app pw-SECRET-5555'
  class Store extends PepperpyPlugin {
    static override configSchema = {
      type: 'object',
      properties: {
        dsn: { type: 'string', writeOnly: true },
        session: { type: 'object' },
        endpoint: { type: 'string' },
        retries: { type: 'integer' },
      },
    }
    dsn = ''
    tokensUsed = 0
    keyCount = 3
    override async initialize() {
      this.logger.info(`opening ${this.dsn}`, { dsn: this.dsn, session: this.config['session'], endpoint: this.config['endpoint'] })
      this.logger.warn('request', { headers: { Authorization: `Bearer ${TOKEN}` } })
    }
  }
  const config = {
    dsn: DSN,
    session: { token: TOKEN, user: 'ann', api_keys: [CALL, ALIAS] },
    endpoint: `https://svc:${ENV}@api.example.com/v1?api_key=${CALL}&model=small`,
  }
  const leaks = (text: string, where: string) => {
    noSecret(text, where)
    expect(text, `${where} leaks the writeOnly dsn`).not.toContain('pw-SECRET-5555')
  }

  it('a writeOnly schema key, nested tokens, arrays of keys, URL userinfo and query keys never show', async () => {
    const log = capture()
    const s = system({ logger: log })
    s.registerPlugin('db', 'pg', Store)
    const p = (await s.createProviderInstance('db', 'pg', config)) as Store
    await p.initialize()
    expect(p.dsn).toBe(DSN)
    leaks(JSON.stringify(p), 'toJSON')
    leaks(inspect(p, { depth: 10, showHidden: true }), 'util.inspect')
    leaks(JSON.stringify(p.config), 'JSON.stringify(config)')
    leaks(inspect(p.config, { depth: 10 }), 'util.inspect(config)')
    leaks(log.text(), 'the logs')
    expect(log.text()).toContain('opening')
    expect(JSON.parse(JSON.stringify(p))).toMatchObject({ tokensUsed: 0, keyCount: 3 })
    await p.cleanup()
  })

  it('a ConfigError about a secret key (schema, environment or writeOnly) never prints its value', async () => {
    class Typed extends PepperpyPlugin {
      static override configSchema = {
        type: 'object',
        properties: {
          api_key: { type: 'integer' },
          pin: { type: 'string', writeOnly: true, enum: ['0000'] },
          access_token: { type: 'number' },
        },
      }
    }
    const s = system({ logger: capture(), env: { PEPPERPY_LLM__TYPED__ACCESS_TOKEN: TOKEN } })
    s.registerPlugin('llm', 'typed', Typed)
    const error = await s.createProviderInstance('llm', 'typed', { api_key: CALL, pin: ALIAS }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ConfigError)
    const e = error as ConfigError
    noSecret(`${e.message}\n${e.stack}\n${inspect(e, { depth: 10 })}\n${JSON.stringify(e)}`, 'the ConfigError')
    expect(e.issues.map((i) => i.key).sort()).toEqual(['access_token', 'api_key', 'pin'])
  })
})

// ---- the CLI, as a child process ----------------------------------------------------------------
const bin = fileURLToPath(new URL('../../packages/cli/src/bin.ts', import.meta.url))
const tsx = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href
function pepperpy(cwd: string, home: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@pepperpy/source', '--import', tsx, bin, ...args],
      {
        cwd,
        env: { ...process.env, HOME: home, NO_COLOR: '1', PEPPERPY_PLUGIN_PATH: '', ...env },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

describe('secrets and the CLI', () => {
  it('pepperpy list --json and info --json (and text) never print OPENAI_API_KEY', async () => {
    const cwd = temp('pepperpy-cli-')
    const home = temp('pepperpy-home-')
    write(
      join(cwd, 'plugins', 'llm', 'openai', 'plugin.yaml'),
      'name: OpenAI\nversion: 1.0.0\nentry_point: p.ts:P\nconfig_schema:\n  type: object\n  properties:\n    api_key: { type: string }\n',
    )
    write(
      join(cwd, 'plugins', 'llm', 'openai', 'p.ts'),
      "import { PepperpyPlugin } from '@pepperpy/plugin'\nexport class P extends PepperpyPlugin { apiKey = '' }\n",
    )
    const env = { OPENAI_API_KEY: ENV, PEPPERPY_LLM__OPENAI__API_KEY: ENV, PEPPERPY_LLM__API_KEY: ENV }
    for (const args of [
      ['list', '--json'],
      ['list'],
      ['info', 'llm/openai', '--json'],
      ['info', 'llm/openai'],
      ['doctor'],
      ['validate'],
      ['graph', '--format', 'json'],
    ]) {
      const r = await pepperpy(cwd, home, args, env)
      noSecret(r.stdout + r.stderr, `pepperpy ${args.join(' ')}`)
      if (args[0] === 'list' && args[1]) expect(JSON.parse(r.stdout)).toHaveLength(1)
    }
  })

  // found by this suite, fixed in 2c21b54 (cli: info/list redact secrets a manifest carries)
  const manifestSecret = async () => {
    const cwd = temp('pepperpy-cli-')
    const home = temp('pepperpy-home-')
    write(
      join(cwd, 'plugins', 'llm', 'openai', 'plugin.yaml'),
      `entry_point: p.ts:P\ndefault_config:\n  api_key: ${TOKEN}\nconfig_schema:\n  type: object\n  properties:\n    api_key: { type: string, default: ${TOKEN} }\n`,
    )
    const out: string[] = []
    for (const args of [
      ['info', 'llm/openai', '--json'],
      ['info', 'llm/openai'],
      ['list', '--json'],
    ]) {
      const r = await pepperpy(cwd, home, args)
      out.push(r.stdout + r.stderr)
    }
    noSecret(out.join('\n'), 'pepperpy info/list of a manifest holding a secret')
  }
  it('pepperpy info/list redact a secret written in the manifest (default_config, schema default)', manifestSecret)
})
