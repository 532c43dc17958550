/** Runs the OpenAI-compatible provider against a local server (no internet, no real key). */
import { fileURLToPath } from 'node:url'
import { autoContext, createPluginSystem } from '@pepperpy/plugins'
import type { OpenAICompatibleLLM } from '../plugins/llm/openai-compatible/provider.ts'
import { startFakeServer } from './fake-server.ts'

const server = await startFakeServer('sk-local-test')
const system = createPluginSystem({
  defaultPaths: false,
  paths: [fileURLToPath(new URL('../plugins', import.meta.url))],
  // the key comes from the environment, as it would in production (OPENAI_COMPATIBLE_API_KEY also works)
  env: { ...process.env, PEPPERPY_LLM__OPENAI_COMPATIBLE__API_KEY: 'sk-local-test' },
})
try {
  system.registerPluginAlias('llm', 'local', 'openai-compatible', { base_url: server.url, model: 'tiny-local' })
  const llm = (await system.createProviderInstance('llm', 'local')) as OpenAICompatibleLLM
  const answer = await autoContext(llm, (l) => l.generate('hello from pepperpy'))
  console.log(`${llm.pluginId} (${llm.model}) answered: ${answer}`)
  console.log(`config, as JSON.stringify shows it: ${JSON.stringify(llm.config)}`)
} finally {
  await system.dispose()
  await server.close()
}
