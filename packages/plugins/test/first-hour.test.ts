import { describe, expect, it } from 'vitest'
import { autoContext, createPluginSystem, MemoryStateStore, PepperpyError, PepperpyPlugin } from '../src/index.js'

class Echo extends PepperpyPlugin {
  prefix = 'echo'
  say(text: string): string {
    return `${this.prefix}: ${text}`
  }
}

class Broken extends PepperpyPlugin {
  override async initialize(): Promise<void> {
    throw new Error('no api key')
  }
}

const system = () => createPluginSystem({ defaultPaths: false, env: {}, stateStore: new MemoryStateStore() })

describe('createProviderInstance, as a new user calls it', () => {
  it('takes one "type/provider" string, with or without config', async () => {
    const s = system()
    s.registerPlugin('llm', 'echo', Echo)
    const byId = (await s.createProviderInstance('llm/echo')) as Echo
    expect(byId.pluginId).toBe('llm/echo')
    const withConfig = (await s.createProviderInstance('llm/echo', { prefix: '>' })) as Echo
    await withConfig.initialize()
    expect(withConfig.say('hi')).toBe('>: hi')
    await expect(s.createProviderInstance('llm' as 'llm/x')).rejects.toThrow(
      "createProviderInstance(\"llm\"): no provider given; write createProviderInstance('llm', '<provider>') or createProviderInstance('llm/<provider>')",
    )
    await s.dispose()
  })

  it('an error from initialize() names the plugin on the createProviderInstance and autoContext paths', async () => {
    const s = system()
    s.registerPlugin('llm', 'broken', Broken)
    const direct = await s.createProviderInstance('llm', 'broken')
    const error = await direct.initialize().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(PepperpyError.is(error) && error.code).toBe('PLUGIN_INIT_FAILED')
    expect((error as Error).message).toBe('plugin "llm/broken": initialize() failed: no api key')
    expect(((error as Error).cause as Error).message).toBe('no api key')
    const scoped = await s.createProviderInstance('llm/broken')
    await expect(autoContext(scoped, () => 'never')).rejects.toThrow('plugin "llm/broken": initialize() failed: no api key')
    await s.dispose()
  })
})
