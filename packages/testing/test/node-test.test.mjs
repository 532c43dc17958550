// Run by node:test (no vitest): `node --import tsx --conditions=@pepperpy/source --test test/node-test.test.mjs`
// (src/node-test.test.ts spawns it so `pnpm test` counts it). Against a build, drop the two flags.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { LeakError, PepperpyPlugin } from '@pepperpy/plugin'
import { createTestSystem, mockPlugin } from '@pepperpy/testing'

class Rag extends PepperpyPlugin {
  static dependencies = [{ type: 'embeddings', provider: 'fake' }]
  async search(text) {
    return this.getDependency('embeddings', 'fake').embed(text)
  }
}

class Ticker extends PepperpyPlugin {
  async initialize() {
    setInterval(() => {}, 60_000)
  }
}

test('a plugin with a mocked dependency', async () => {
  const embeddings = mockPlugin({ embed: async (text) => [text.length] })
  const system = createTestSystem({ plugins: { 'rag/naive': Rag }, mocks: { 'embeddings/fake': embeddings } })
  const rag = await system.start('rag', 'naive')
  assert.deepEqual(await rag.search('four'), [4])
  assert.deepEqual(embeddings.calls, [{ method: 'embed', args: ['four'] }])
  await system.dispose()
})

test('a plugin that forgets clearInterval fails dispose()', async () => {
  const system = createTestSystem({ plugins: { 'metrics/ticker': Ticker } })
  await system.start('metrics', 'ticker')
  await assert.rejects(system.dispose(), (error) => {
    assert.ok(error instanceof LeakError)
    assert.match(error.leaks[0], /^setInterval\(60000 ms\) created by metrics\/ticker in initialize\(\)/)
    return true
  })
})

test('an unknown id is a PluginNotFoundError', async () => {
  const system = createTestSystem({ plugins: { 'rag/naive': Rag } })
  await assert.rejects(system.start('rag', 'naieve'), { code: 'PLUGIN_NOT_FOUND', message: /Did you mean rag\/naive\?/ })
  await system.dispose()
})
