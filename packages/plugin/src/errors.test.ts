import { describe, expect, it } from 'vitest'
import { firstLine, messageOf } from './spi.js'
import {
  CircularDependencyError,
  describeError,
  ConfigError,
  DependencyError,
  HotReloadError,
  ManifestError,
  PepperpyError,
  PluginInitError,
  PluginNotFoundError,
  PluginTimeoutError,
  ResourceError,
  StateError,
} from './errors.js'

const cases: Array<[PepperpyError, string, string]> = [
  [new PepperpyError('x'), 'PepperpyError', 'PEPPERPY_ERROR'],
  [new PluginNotFoundError('llm', 'gpt', [{ provider: 'gpt', reason: 'not registered' }]), 'PluginNotFoundError', 'PLUGIN_NOT_FOUND'],
  [new ManifestError('bad', { file: '/p/plugin.yaml', field: 'entry_point' }), 'ManifestError', 'MANIFEST_INVALID'],
  [new ConfigError('llm/openai', [{ key: 'model', message: 'must be string' }]), 'ConfigError', 'CONFIG_INVALID'],
  [new DependencyError('dep failed', { chain: ['a', 'b'] }), 'DependencyError', 'DEPENDENCY_FAILED'],
  [new CircularDependencyError(['a', 'b', 'a']), 'CircularDependencyError', 'DEPENDENCY_CYCLE'],
  [new PluginInitError('init'), 'PluginInitError', 'PLUGIN_INIT_FAILED'],
  [new PluginTimeoutError('slow', 100), 'PluginTimeoutError', 'PLUGIN_TIMEOUT'],
  [new ResourceError('res'), 'ResourceError', 'RESOURCE_FAILED'],
  [new StateError('state'), 'StateError', 'STATE_FAILED'],
  [new HotReloadError('reload'), 'HotReloadError', 'HOT_RELOAD_FAILED'],
]

describe('errors', () => {
  it.each(cases)('%s has name, code, is()', (error, name, code) => {
    expect(error.name).toBe(name)
    expect(error.code).toBe(code)
    expect(error).toBeInstanceOf(PepperpyError)
    expect(error).toBeInstanceOf(Error)
    expect(PepperpyError.is(error)).toBe(true)
    expect(String(error.stack)).toContain(name)
  })

  it('keeps the cause', () => {
    const cause = new Error('connection refused')
    const e = new PluginInitError('init failed', { cause, pluginId: 'db/pg' })
    expect(e.cause).toBe(cause)
    expect(e.pluginId).toBe('db/pg')
  })

  it('is() recognises errors from another copy of the package (brand, not instanceof)', () => {
    const foreign = Object.assign(new Error('x'), { code: 'PLUGIN_NOT_FOUND' })
    Object.defineProperty(foreign, Symbol.for('pepperpy.error'), { value: true })
    expect(PepperpyError.is(foreign)).toBe(true)
    expect(PepperpyError.is(new Error('x'))).toBe(false)
    expect(PepperpyError.is(null)).toBe(false)
    expect(PepperpyError.is('PepperpyError')).toBe(false)
  })

  it('formats messages that say what happened and what to do', () => {
    const nf = new PluginNotFoundError('llm', 'gpt4', [
      { provider: 'gpt4', reason: 'not registered' },
      { provider: 'local', reason: 'entry point failed: boom' },
    ])
    expect(nf.message).toContain('plugin "llm/gpt4" not found; tried gpt4 (not registered), local (entry point failed: boom)')
    expect(new CircularDependencyError(['a', 'b', 'c', 'a']).message).toContain('a -> b -> c -> a')
    expect(
      new ConfigError('llm/openai', [
        { key: 'temperature', message: 'must be number' },
        { key: 'model', message: 'is required' },
      ]).message,
    ).toBe('invalid config for plugin "llm/openai": temperature: must be number; model: is required')
  })
})

describe('describeError', () => {
  it('gives the message of an Error, or of anything with a string message', () => {
    expect(describeError(new TypeError('bad input'))).toBe('bad input')
    expect(describeError({ message: 'from a worker' })).toBe('from a worker')
    const notFound = new PluginNotFoundError('llm', 'gone', [])
    expect(describeError(notFound)).toBe(notFound.message)
  })

  it('describes what has no message: strings, primitives, symbols, functions, plain and empty objects', () => {
    expect(describeError('boom')).toBe('boom')
    expect(describeError('')).toBe('(empty string)')
    expect(describeError(42)).toBe('42 (a thrown number)')
    expect(describeError(10n)).toBe('10 (a thrown bigint)')
    expect(describeError(undefined)).toBe('undefined (a thrown undefined)')
    expect(describeError(null)).toBe('null (a thrown object)')
    expect(describeError(Symbol('s'))).toBe('Symbol(s)')
    expect(describeError(function named() {})).toBe('a thrown function named')
    expect(describeError(new Error(''))).toBe('a thrown Error')
    expect(describeError(Object.assign(new Error(''), { code: 'E_X' }))).toBe('a thrown Error {"code":"E_X"}')
    expect(describeError({ status: 500 })).toBe('a thrown Object {"status":500}')
    expect(describeError({ big: 'x'.repeat(300) })).toMatch(/^a thrown Object \{"big":"x+\.\.\.$/)
  })

  it('never throws: null prototype, throwing getters and toJSON, circular objects, revoked proxies', () => {
    const bare = Object.assign(Object.create(null), { a: 1 })
    expect(describeError(bare)).toBe('a thrown object {"a":1}')
    expect(describeError(Object.create(null))).toBe('a thrown object')
    const badMessage = new Error('hidden')
    Object.defineProperty(badMessage, 'message', {
      get() {
        throw new Error('no')
      },
    })
    expect(describeError(badMessage)).toBe('a thrown Error')
    expect(
      describeError({
        toJSON() {
          throw new Error('no')
        },
      }),
    ).toBe('a thrown Object')
    const circular: Record<string, unknown> = {}
    circular['self'] = circular
    expect(describeError(circular)).toBe('a thrown Object')
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    expect(describeError(proxy)).toBe('a thrown object')
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no')
        },
        getPrototypeOf() {
          throw new Error('no')
        },
      },
    )
    expect(typeof describeError(hostile)).toBe('string')
  })

  it("is what the spi's deprecated messageOf is, and firstLine takes its first line", () => {
    expect(messageOf).toBe(describeError)
    expect(firstLine(new Error('one\ntwo'))).toBe('one')
    expect(firstLine('a\nb')).toBe('a')
    expect(firstLine(Object.create(null))).toBe('a thrown object')
  })
})
