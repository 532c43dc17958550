import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createPluginSystem, type PluginSystem } from '@pepperpy/plugins'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OpenAICompatibleLLM } from '../plugins/llm/openai-compatible/provider.ts'
import { startFakeServer } from '../src/fake-server.ts'

const plugins = fileURLToPath(new URL('../plugins', import.meta.url))
let server: Awaited<ReturnType<typeof startFakeServer>>
let system: PluginSystem

beforeEach(async () => {
  server = await startFakeServer('sk-test-123456')
})
afterEach(async () => {
  await system?.dispose()
  await server.close()
})

describe('llm/openai-compatible against a local server', () => {
  it('sends the prompt with config from call and environment, and returns the content', async () => {
    system = createPluginSystem({ defaultPaths: false, paths: [plugins], env: { OPENAI_COMPATIBLE_API_KEY: 'sk-test-123456' } })
    const llm = (await system.createProviderInstance('llm', 'openai-compatible', {
      base_url: server.url,
      model: 'm1',
    })) as OpenAICompatibleLLM
    await llm.initialize()
    expect(await llm.generate('abc')).toBe('[m1] cba')
    expect(server.requests).toEqual([{ model: 'm1', temperature: 0.2, messages: [{ role: 'user', content: 'abc' }] }])
    expect(JSON.stringify(llm)).not.toContain('sk-test-123456')
  })

  it('reports HTTP errors with the plugin id', async () => {
    system = createPluginSystem({ defaultPaths: false, paths: [plugins], env: {} })
    const llm = (await system.createProviderInstance('llm', 'openai-compatible', {
      base_url: server.url,
      api_key: 'wrong-key',
    })) as OpenAICompatibleLLM
    await expect(llm.generate('x')).rejects.toThrow('llm/openai-compatible: HTTP 401: invalid api key')
  })

  it('refuses to create without the required api_key', async () => {
    system = createPluginSystem({ defaultPaths: false, paths: [plugins], env: {} })
    await expect(system.createProviderInstance('llm', 'openai-compatible', { base_url: server.url })).rejects.toThrow(/api_key/)
  })

  it('the example script runs end to end', async () => {
    const { stdout } = await promisify(execFile)('pnpm', ['run', '--silent', 'start'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    })
    expect(stdout).toContain('llm/openai-compatible (tiny-local) answered: [tiny-local] ypreppep morf olleh')
    expect(stdout).not.toContain('sk-local-test')
  })
})
