import { describe, expect, it } from 'vitest'
import { createPluginSystem, MemoryStateStore, PepperpyPlugin } from '../src/index.js'

class Echo extends PepperpyPlugin {
  prefix = 'echo'
  say(text: string): string {
    return `${this.prefix}: ${text}`
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
      'createProviderInstance("llm"): give a type and a provider, as ("llm", "openai") or one "llm/openai" string',
    )
    await s.dispose()
  })
})
