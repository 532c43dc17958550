import { ConfigError } from '@pepperpy/plugin'
import { describe, expect, it } from 'vitest'
import { finalizeWithFields, makePlan, resolveConfig } from './config-plan.js'
import { coerceEnv, envNames } from './env.js'

const schema = {
  type: 'object',
  properties: {
    model: { type: 'string', default: 's' },
    max_tokens: { type: 'integer', minimum: 1 },
    stream: { type: 'boolean' },
    api_key: { type: 'string' },
  },
  additionalProperties: false,
}

describe('envNames', () => {
  it('is UPPER_SNAKE_CASE, provider first, and api keys also read <PROVIDER>_API_KEY', () => {
    expect(envNames('llm', 'openai-compatible', 'maxTokens')).toEqual([
      'PEPPERPY_LLM__OPENAI_COMPATIBLE__MAX_TOKENS',
      'PEPPERPY_LLM__MAX_TOKENS',
    ])
    expect(envNames('llm', 'openai', 'apiKey')).toEqual(['PEPPERPY_LLM__OPENAI__API_KEY', 'PEPPERPY_LLM__API_KEY', 'OPENAI_API_KEY'])
    expect(envNames('llm', 'openai', 'api_key')).toEqual(envNames('llm', 'openai', 'apiKey'))
  })
})

describe('coerceEnv', () => {
  it('converts strings to the declared type and explains failures', () => {
    expect(coerceEnv('42', 'integer')).toEqual({ value: 42 })
    expect(coerceEnv('4.2', 'integer').error).toMatch(/must be an integer/)
    expect(coerceEnv(' 0.5 ', 'number')).toEqual({ value: 0.5 })
    expect(coerceEnv('', 'number').error).toMatch(/must be a number/)
    expect(coerceEnv('yes', 'boolean')).toEqual({ value: true })
    expect(coerceEnv('maybe', 'boolean').error).toMatch(/boolean/)
    expect(coerceEnv('["a"]', 'array')).toEqual({ value: ['a'] })
    expect(coerceEnv('{"a":1}', 'array').error).toMatch(/JSON array/)
    expect(coerceEnv('007', undefined)).toEqual({ value: '007' })
  })
})

describe('resolveConfig', () => {
  const plan = () => makePlan({ type: 'llm', provider: 'openai', schema, defaults: { max_tokens: 10 }, required: ['api_key'] })

  it('call > alias (outer first) > env > default_config > schema defaults, with the source of each key', () => {
    const env = { PEPPERPY_LLM__OPENAI__MAX_TOKENS: '30', OPENAI_API_KEY: 'sk', PEPPERPY_LLM__STREAM: 'true' }
    const r = resolveConfig(plan(), { stream: false }, [{ model: 'outer' }, { model: 'inner', max_tokens: 5 }], env)
    expect(r.config).toEqual({ model: 'outer', max_tokens: 5, stream: false, api_key: 'sk' })
    expect(r.sources).toEqual({ model: 'alias', max_tokens: 'alias', stream: 'call', api_key: 'env' })
    const bare = resolveConfig(plan(), {}, [], { OPENAI_API_KEY: 'sk' })
    expect(bare.sources).toEqual({ model: 'schema', max_tokens: 'manifest', api_key: 'env' })
  })

  it('lists every problem at once; call values are never coerced; a bad env value overridden by the call is no problem', () => {
    const env = { PEPPERPY_LLM__OPENAI__STREAM: 'maybe', PEPPERPY_LLM__MAX_TOKENS: 'many' }
    const error = (() => {
      try {
        resolveConfig(plan(), { model: 7, extra: 1, max_tokens: '5' }, [], env)
      } catch (e) {
        return e as ConfigError
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect(error!.issues.map((i) => i.key).sort()).toEqual(['api_key', 'extra', 'max_tokens', 'model', 'stream'])
    expect(error!.message).toContain('stream: PEPPERPY_LLM__OPENAI__STREAM must be a boolean')
    expect(error!.message).toContain('model: must be string (from call)')
    expect(error!.message).toContain('api_key: is required (pass it, or set PEPPERPY_LLM__OPENAI__API_KEY or OPENAI_API_KEY)')
    expect(() => resolveConfig(plan(), { api_key: 'k', stream: true }, [], env)).toThrow(
      /max_tokens: PEPPERPY_LLM__MAX_TOKENS must be an integer/,
    )
    expect(resolveConfig(plan(), { api_key: 'k', stream: true, max_tokens: 3 }, [], env).config['max_tokens']).toBe(3)
  })

  it('reads the declared keys from the environment on every resolve, reusing the layer while they are unchanged', () => {
    const p = plan()
    const env: Record<string, string | undefined> = { OPENAI_API_KEY: 'one' }
    const first = resolveConfig(p, {}, [], env)
    expect(first.config['api_key']).toBe('one')
    expect(p.base?.layer).toBeDefined()
    const layer = p.base?.layer
    resolveConfig(p, {}, [], env)
    expect(p.base?.layer).toBe(layer)
    env['OPENAI_API_KEY'] = 'two'
    expect(resolveConfig(p, {}, [], env).config['api_key']).toBe('two')
    delete env['OPENAI_API_KEY']
    expect(() => resolveConfig(p, {}, [], env)).toThrow(/api_key: is required/)
  })

  it('an invalid config_schema is a ConfigError naming the plugin', () => {
    const p = makePlan({ type: 'llm', provider: 'bad', schema: { type: 'object', properties: { a: { type: 'strin' } } } })
    expect(() => resolveConfig(p, {}, [], {})).toThrow(
      /invalid config for plugin "llm\/bad": \(config_schema\): is not a valid JSON Schema/,
    )
  })
})

describe('finalizeWithFields', () => {
  it('adds env values only for class fields no other source set, converted to the default type; nothing from other providers', () => {
    const p = makePlan({ type: 'llm', provider: 'local' })
    const env = {
      PEPPERPY_LLM__LOCAL__TEMPERATURE: '0.3',
      PEPPERPY_LLM__LOCAL__MODEL: 'env',
      PEPPERPY_LLM__OTHER__SEED: '9',
      LOCAL_API_KEY: 'k',
    }
    const base = resolveConfig(p, { model: 'call' }, [], env)
    const out = finalizeWithFields(p, base, env, ['model', 'temperature', 'seed', 'apiKey'], {
      model: 'd',
      temperature: 0.7,
      seed: 1,
      apiKey: '',
    })
    expect(out.config).toEqual({ model: 'call', temperature: 0.3, apiKey: 'k' })
    expect(out.sources).toEqual({ model: 'call', temperature: 'env', apiKey: 'env' })
    expect(() => finalizeWithFields(p, base, { PEPPERPY_LLM__SEED: 'x' }, ['seed'], { seed: 1 })).toThrow(
      /seed: PEPPERPY_LLM__SEED must be a number/,
    )
  })
})
