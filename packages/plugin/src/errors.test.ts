import { describe, expect, it } from 'vitest'
import {
  CircularDependencyError,
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
