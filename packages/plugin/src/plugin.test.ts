import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { configSources, instantiatePlugin } from './instantiate.js'
import { addLifecycleHook } from './hooks.js'
import { PepperpyPlugin } from './plugin.js'

class CustomPlugin extends PepperpyPlugin {
  param1 = 'default'
  param2 = 42
  apiKey: string | undefined = undefined
  async process(data: unknown) {
    return { processed: data, param1: this.param1 }
  }
}

describe('PepperpyPlugin', () => {
  it('binds config after construction so subclass field defaults never win', () => {
    const p = instantiatePlugin(CustomPlugin, { type: 'custom', provider: 'example', config: { param2: 7, api_key: 'sk-123456' } })
    expect(p.param2).toBe(7)
    expect(p.param1).toBe('default')
    expect(p.apiKey).toBe('sk-123456')
    expect(p.pluginId).toBe('custom/example')
    expect(p.config).toEqual({ param2: 7, api_key: 'sk-123456', param1: 'default', apiKey: undefined })
    expect(configSources(p)['param1']).toBe('class')
  })

  it('constructs the class exactly once per instance', () => {
    let n = 0
    class Counted extends PepperpyPlugin {
      constructor(config?: Record<string, unknown>) {
        super(config)
        n++
      }
    }
    instantiatePlugin(Counted, { type: 't', provider: 'p', config: { a: 1 } })
    expect(n).toBe(1)
  })

  it('manages the initialized flag idempotently, single-flight', async () => {
    let inits = 0
    class P extends PepperpyPlugin {
      override async initialize() {
        inits++
        await new Promise((r) => setTimeout(r, 10))
      }
    }
    const p = P.create()
    await Promise.all([p.initialize(), p.initialize(), p.initialize()])
    expect(inits).toBe(1)
    expect(p.initialized).toBe(true)
    await p.cleanup()
    await p.cleanup()
    expect(p.initialized).toBe(false)
  })

  it('cleanup does not wait for an initialize() that was abandoned (signal aborted)', async () => {
    class Hangs extends PepperpyPlugin {
      override initialize(): Promise<void> {
        return new Promise(() => {})
      }
    }
    const p = Hangs.create()
    const released: string[] = []
    addLifecycleHook(p, 'afterCleanup', () => void released.push('released'))
    const controller = new AbortController()
    void (p as PepperpyPlugin).initialize({ signal: controller.signal })
    controller.abort(new Error('timed out'))
    await p.cleanup()
    expect(p.initialized).toBe(false)
    expect(released).toEqual(['released'])
  })

  it('runs lifecycle hooks and releases on failed init', async () => {
    const calls: string[] = []
    class Bad extends PepperpyPlugin {
      override async initialize() {
        throw new Error('boom')
      }
    }
    const p = Bad.create()
    addLifecycleHook(p, 'beforeInitialize', () => void calls.push('before'))
    addLifecycleHook(p, 'afterCleanup', () => void calls.push('release'))
    await expect(p.initialize()).rejects.toThrow('boom')
    expect(p.initialized).toBe(false)
    expect(calls).toEqual(['before', 'release'])
  })

  it('redacts secrets in toJSON and util.inspect', () => {
    const p = CustomPlugin.create({ api_key: 'sk-live-SECRET', token: 'tok-abcdef', param1: 'visible' })
    const json = JSON.stringify(p)
    const shown = inspect(p)
    for (const out of [json, shown]) {
      expect(out).not.toContain('sk-live-SECRET')
      expect(out).not.toContain('tok-abcdef')
      expect(out).toContain('visible')
      expect(out).toContain('[redacted]')
    }
    expect(p.apiKey).toBe('sk-live-SECRET')
    expect(JSON.stringify(p.config)).not.toContain('sk-live-SECRET')
    expect(inspect(p.config)).not.toContain('sk-live-SECRET')
    expect(p.config['api_key']).toBe('sk-live-SECRET')
  })

  it('scrubs secret values from what the plugin logs', () => {
    const lines: string[] = []
    const logger = {
      debug: () => {},
      info: (m: string, ...a: unknown[]) => void lines.push([m, ...a.map((x) => JSON.stringify(x))].join(' ')),
      warn: () => {},
      error: () => {},
    }
    const p = instantiatePlugin(CustomPlugin, { type: 'c', provider: 'e', config: { api_key: 'sk-live-SECRET' }, logger })
    p.logger.info('using key sk-live-SECRET', { api_key: 'sk-live-SECRET', other: 'sk-live-SECRET' })
    expect(lines.join('\n')).not.toContain('sk-live-SECRET')
    expect(lines[0]).toContain('[c/e]')
  })

  it('a config error before initialize() starts rejects, runs afterCleanup, and the next call retries', async () => {
    let fail = true
    const plugin = new CustomPlugin({ param1: 'x' })
    const undone: string[] = []
    addLifecycleHook(plugin, 'afterCleanup', () => void undone.push('afterCleanup'))
    const s = Object.getOwnPropertySymbols(plugin).map((k) => (plugin as unknown as Record<symbol, { finalize?: unknown }>)[k]!)[0]!
    s.finalize = () => {
      if (fail) throw new Error('PARAM1 is not a number')
      return { config: { param1: 'y' }, sources: {} }
    }
    await expect(plugin.initialize()).rejects.toThrow('PARAM1 is not a number')
    expect(undone).toEqual(['afterCleanup'])
    fail = false
    await plugin.initialize()
    expect(plugin.initialized).toBe(true)
    expect(plugin.param1).toBe('y')
  })

  it('a synchronous failure with no hooks does not leave initialize() stuck', async () => {
    const plugin = new CustomPlugin()
    const s = Object.getOwnPropertySymbols(plugin).map((k) => (plugin as unknown as Record<symbol, { finalize?: unknown }>)[k]!)[0]!
    let calls = 0
    s.finalize = () => {
      calls++
      throw new Error('bad env')
    }
    await expect(plugin.initialize()).rejects.toThrow('bad env')
    await expect(plugin.initialize()).rejects.toThrow('bad env')
    expect(calls).toBe(2)
  })

  it('binds config given to a directly constructed plugin on initialize', async () => {
    const p = new CustomPlugin({ param2: 9 })
    expect(p.config['param2']).toBe(9)
    await p.initialize()
    expect(p.param2).toBe(9)
  })

  it('ignores __proto__ and constructor keys in config', () => {
    const config = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1, "param1": "x"}')
    const p = CustomPlugin.create(config)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(p.param1).toBe('x')
    expect(Object.keys(p.config)).not.toContain('__proto__')
  })

  it('rejects a class that does not extend PepperpyPlugin', () => {
    class NotAPlugin {}
    expect(() => instantiatePlugin(NotAPlugin as never, { type: 't', provider: 'p' })).toThrow(/does not extend PepperpyPlugin/)
  })

  it('getDependency goes through the injected context', () => {
    const dep = CustomPlugin.create()
    const p = instantiatePlugin(CustomPlugin, {
      type: 'a',
      provider: 'b',
      context: { getDependency: (t) => (t === 'dep' ? dep : undefined) },
    })
    expect(p.getDependency('dep')).toBe(dep)
    expect(p.getDependency('nope')).toBeUndefined()
  })
})
