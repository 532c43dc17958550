import { ConfigError, PepperpyPlugin, PluginNotFoundError, silentLogger } from '@pepperpy/plugin'
import { instantiatePlugin } from '@pepperpy/plugin/spi'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { provider, recordingLogger, tempDir, write } from './__tests__/fixtures.js'
import { checkManifest } from './manifest/parse-manifest.js'
import { PluginRegistry } from './plugin-registry.js'

class Llm extends PepperpyPlugin {
  model = 'default-model'
  temperature = 0.5
  apiKey = ''
}
class Other extends PepperpyPlugin {}

const registry = (env: Record<string, string> = {}, logger = silentLogger) => new PluginRegistry({ defaultPaths: false, env, logger })
const create = async (r: PluginRegistry, type: string, provider: string, config?: Record<string, unknown>) => {
  const res = await r.resolve(type, provider, config)
  return instantiatePlugin(res.PluginClass, { ...res, ...(res.finalizeConfig ? { finalizeConfig: res.finalizeConfig } : {}) }) as Llm
}

const dirs: Array<{ cleanup(): void }> = []
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup()
})

describe('aliases', () => {
  it('resolve through chains; outer config wins; the call wins over all; pluginId names the real provider', async () => {
    const r = registry()
    r.register('llm', 'openai', Llm)
    r.registerAlias('llm', 'gpt4', 'openai', { model: 'gpt-4', temperature: 0.1 })
    r.registerAlias('llm', 'gpt4-hot', 'gpt4', { temperature: 0.9 })
    const p = await create(r, 'llm', 'gpt4-hot')
    expect(p.pluginId).toBe('llm/openai')
    expect([p.model, p.temperature]).toEqual(['gpt-4', 0.9])
    const q = await create(r, 'llm', 'gpt4-hot', { temperature: 0.3 })
    expect(q.temperature).toBe(0.3)
    expect((await r.resolve('llm', 'gpt4')).requestedProvider).toBe('gpt4')
  })

  it('detects loops', () => {
    const r = registry()
    r.registerAlias('llm', 'a', 'b')
    expect(() => r.registerAlias('llm', 'b', 'a')).toThrow(/alias loop llm\/b -> llm\/a -> llm\/b/)
  })

  it('never loops or crashes for random alias graphs (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'real'), fc.constantFrom('a', 'b', 'c', 'd', 'real')), { maxLength: 8 }),
        async (edges) => {
          const r = registry()
          r.register('t', 'real', Other)
          for (const [from, to] of edges) {
            if (from === 'real') continue
            try {
              r.registerAlias('t', from, to)
            } catch (error) {
              expect((error as Error).message).toMatch(/alias loop/)
            }
          }
          for (const name of ['a', 'b', 'c', 'd']) {
            try {
              const res = await r.resolve('t', name)
              expect(res.provider).toBe('real')
            } catch (error) {
              expect(error).toBeInstanceOf(PluginNotFoundError)
            }
          }
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('fallbacks', () => {
  it('tries unavailable providers in order with a warning; never substitutes an available one', async () => {
    const logger = recordingLogger()
    const r = registry({}, logger)
    r.register('llm', 'local', Llm)
    r.register('llm', 'openai', Other)
    r.registerFallbacks('llm', ['anthropic', 'local'])
    expect((await r.resolve('llm', 'openai')).provider).toBe('openai')
    expect(logger.warnings).toEqual([])
    const res = await r.resolve('llm', 'mistral')
    expect(res.provider).toBe('local')
    expect(logger.warnings[0]).toBe('llm/mistral is unavailable (not registered); using fallback llm/local')
    expect((await r.resolve('llm', 'auto')).provider).toBe('local')
  })

  it('falls back when the entry point fails to load, and lists every provider tried', async () => {
    const d = tempDir()
    dirs.push(d)
    write(d.path, { 'llm/broken/plugin.yaml': 'entry_point: p.ts:P\n', 'llm/broken/p.ts': 'export const P = ;;; syntax error' })
    const r = new PluginRegistry({ defaultPaths: false, paths: [d.path], env: {}, logger: silentLogger })
    r.registerFallbacks('llm', ['broken', 'nope'])
    const error = await r.resolve('llm', 'gpt').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PluginNotFoundError)
    const message = (error as Error).message
    expect(message).toMatch(
      /^plugin "llm\/gpt" not found; tried gpt \(not registered\), broken \(entry point failed: cannot load .*p\.ts: .*\), nope \(not registered\)/,
    )
  })
})

describe('config', () => {
  it('merges call > alias > env > default_config > schema defaults > class fields', async () => {
    const d = tempDir()
    dirs.push(d)
    write(d.path, {
      'llm/openai/plugin.yaml': [
        'entry_point: p.ts:P',
        'config_schema:',
        '  type: object',
        '  properties:',
        '    model: { type: string, default: schema-model }',
        '    temperature: { type: number, default: 0.2 }',
        '    max_tokens: { type: integer, default: 10 }',
        '    top_p: { type: number, default: 1 }',
        '    api_key: { type: string }',
        'default_config:',
        '  max_tokens: 20',
        '  top_p: 0.9',
      ].join('\n'),
      'llm/openai/p.ts': provider('P', "model = 'class-model'\nmaxTokens = 1\ntopP = 0.5\nseed = 7\napiKey = ''\nstop = ['x']"),
    })
    const env = {
      PEPPERPY_LLM__OPENAI__MAX_TOKENS: '30',
      PEPPERPY_LLM__TOP_P: '0.8',
      OPENAI_API_KEY: 'sk-env',
      PEPPERPY_LLM__OPENAI__SEED: '42',
      PEPPERPY_LLM__ANTHROPIC__MODEL: 'leak',
    }
    const r = new PluginRegistry({ defaultPaths: false, paths: [d.path], env, logger: silentLogger })
    r.registerAlias('llm', 'fast', 'openai', { model: 'alias-model', temperature: 0.4 })
    const p = (await create(r, 'llm', 'fast', { temperature: 0.7 })) as unknown as Record<string, unknown> & PepperpyPlugin
    expect(p['model']).toBe('alias-model')
    expect(p.config['temperature']).toBe(0.7)
    expect(p['maxTokens']).toBe(30)
    expect(p['topP']).toBe(0.8)
    expect(p['apiKey']).toBe('sk-env')
    expect(p['seed']).toBe(42)
    expect(p['stop']).toEqual(['x'])
    expect(p.config).toMatchObject({ model: 'alias-model', temperature: 0.7, max_tokens: 30, top_p: 0.8, api_key: 'sk-env', seed: 42 })
  })

  it('reads only declared keys, and nothing leaks between providers', async () => {
    const r = registry({ PEPPERPY_LLM__OPENAI__MODEL: 'openai-model', PEPPERPY_LLM__OPENAI__UNDECLARED: 'x', ANTHROPIC_API_KEY: 'sk-ant' })
    r.register('llm', 'openai', Llm)
    r.register('llm', 'local', Llm)
    const openai = await create(r, 'llm', 'openai')
    const local = await create(r, 'llm', 'local')
    expect(openai.model).toBe('openai-model')
    expect(openai.config['undeclared']).toBeUndefined()
    expect(openai.apiKey).toBe('')
    expect(local.model).toBe('default-model')
  })

  it('lists every schema violation in one ConfigError naming the plugin and keys', async () => {
    const r = registry({ PEPPERPY_LLM__STRICT__LIMIT: 'lots' })
    r.register('llm', 'strict', Llm, {
      configSchema: {
        type: 'object',
        properties: { model: { type: 'string' }, temperature: { type: 'number', maximum: 1 }, limit: { type: 'integer' } },
      },
      requiredConfigKeys: ['api_key'],
    })
    const error = await r.resolve('llm', 'strict', { model: 42, temperature: 3 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    const keys = (error as ConfigError).issues.map((i) => i.key).sort()
    expect(keys).toEqual(['api_key', 'limit', 'model', 'temperature'])
    expect((error as Error).message).toMatch(/^invalid config for plugin "llm\/strict": /)
  })

  it('keeps __proto__, constructor and prototype keys inert everywhere', async () => {
    const evil = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 2}}, "model": "m"}')
    const r = registry({ PEPPERPY_LLM__X____PROTO__: '{"polluted":3}' })
    r.register('llm', 'x', Llm, { defaultConfig: JSON.parse('{"__proto__": {"polluted": 4}}') })
    r.registerAlias('llm', 'y', 'x', JSON.parse('{"__proto__": {"polluted": 5}}'))
    const p = await create(r, 'llm', 'y', evil)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(p.model).toBe('m')
  })
})

describe('schema keys named like Object.prototype members', () => {
  it('a schema property named constructor does not see the inherited one', async () => {
    const r = registry()
    r.register('t', 'p', Llm, {
      configSchema: { type: 'object', properties: { constructor: { type: 'object' }, toString: { type: 'string' } } },
    })
    await expect(r.resolve('t', 'p')).resolves.toBeDefined()
  })
})

describe('manifest validation (property)', () => {
  it('random manifests never throw: each validates or yields diagnostics naming the file', () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
    )
    const keys = fc.constantFrom(
      'name',
      'version',
      'entry_point',
      'type',
      'provider',
      'dependencies',
      'config_schema',
      'hot_reload',
      'entrypoint',
      '__proto__',
      'x',
    )
    fc.assert(
      fc.property(fc.oneof(fc.dictionary(keys, value), value), (doc) => {
        const { parsed, diagnostics } = checkManifest(doc, '/m/plugin.yaml')
        if (!parsed) {
          expect(diagnostics.length).toBeGreaterThan(0)
          expect(diagnostics.every((d) => d.file === '/m/plugin.yaml')).toBe(true)
        } else expect(typeof parsed.manifest.entry_point).toBe('string')
      }),
      { numRuns: process.env['PEPPERPY_SOAK'] ? 10_000 : 500 },
    )
  })
})
