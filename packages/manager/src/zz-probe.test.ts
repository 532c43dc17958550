import { PepperpyPlugin, silentLogger, type PluginResolver, type ResolvedPlugin, type PluginClass } from '@pepperpy/plugin'
import { it, expect } from 'vitest'
import { PluginManager } from './plugin-manager.js'
function resolver(classes: Record<string, PluginClass>): PluginResolver {
  return { has: (t, p) => `${t}/${p}` in classes, async resolve(type, provider, config = {}): Promise<ResolvedPlugin> {
    return { type, provider, requestedProvider: provider, PluginClass: classes[`${type}/${provider}`]!, config, sources: {}, dependencies: [], hotReload: false, info: { type, provider, source: 'registered' } } } }
}
it('cleanup after a hung init', async () => {
  class Hangs extends PepperpyPlugin { override initialize(): Promise<void> { return new Promise(() => {}) } }
  const m = new PluginManager({ resolver: resolver({ 'h/x': Hangs }), logger: silentLogger, initTimeoutMs: 30 })
  await m.createInstance('h', 'x')
  await m.initialize().catch(() => {})
  const r = await Promise.race([m.cleanup().then(() => 'done'), new Promise((r) => setTimeout(() => r('hung'), 1000))])
  expect(r).toBe('done')
})
