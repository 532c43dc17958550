import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createTestSystem, type TestSystem } from '@pepperpy/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OpenAICompatibleLLM } from '../plugins/llm/openai-compatible/provider.ts'
import { startFakeServer } from '../src/fake-server.ts'

const plugins = fileURLToPath(new URL('../plugins', import.meta.url))
let server: Awaited<ReturnType<typeof startFakeServer>>
let system: TestSystem

beforeEach(async () => {
  server = await startFakeServer('sk-test-123456')
})
afterEach(async () => {
  await system?.dispose() // also fails the test if the plugin left a timer, resource or pool behind
  await server.close()
})

describe('llm/openai-compatible against a local server', () => {
  it('sends the prompt with config from call and environment, and returns the content', async () => {
    system = createTestSystem({ paths: [plugins], env: { OPENAI_COMPATIBLE_API_KEY: 'sk-test-123456' } })
    const llm = await system.start<OpenAICompatibleLLM>('llm', 'openai-compatible', { base_url: server.url, model: 'm1' })
    expect(await llm.generate('abc')).toBe('[m1] cba')
    expect(server.requests).toEqual([{ model: 'm1', temperature: 0.2, messages: [{ role: 'user', content: 'abc' }] }])
    expect(JSON.stringify(llm)).not.toContain('sk-test-123456')
    expect(JSON.stringify(system.logs)).not.toContain('sk-test-123456')
  })

  it('reports HTTP errors with the plugin id', async () => {
    system = createTestSystem({ paths: [plugins] })
    const llm = await system.start<OpenAICompatibleLLM>('llm', 'openai-compatible', { base_url: server.url, api_key: 'wrong-key' })
    await expect(llm.generate('x')).rejects.toThrow('llm/openai-compatible: HTTP 401: invalid api key')
  })

  it('refuses to create without the required api_key', async () => {
    system = createTestSystem({ paths: [plugins] })
    await expect(system.start('llm', 'openai-compatible', { base_url: server.url })).rejects.toThrow(/api_key/)
  })

  it('the example script runs end to end', async () => {
    const { stdout } = await promisify(execFile)('pnpm', ['run', '--silent', 'start'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    })
    expect(stdout).toContain('llm/openai-compatible (tiny-local) answered: [tiny-local] ypreppep morf olleh')
    expect(stdout).not.toContain('sk-local-test')
  })
})
