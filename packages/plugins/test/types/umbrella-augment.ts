// An app that installed only @pepperpy/plugins: it augments the umbrella, never '@pepperpy/plugin'.
import { createPluginSystem, createProviderInstance, PepperpyPlugin, type PluginOf } from '@pepperpy/plugins'
import type { Equal } from './equal.js'

export class UmbrellaLlm extends PepperpyPlugin {
  async generate(prompt: string): Promise<string> {
    return prompt
  }
}
export class UmbrellaOpenAi extends UmbrellaLlm {
  async chat(messages: string[]): Promise<string> {
    return messages.join('\n')
  }
}

declare module '@pepperpy/plugins' {
  interface PluginTypes {
    'u-llm': UmbrellaLlm
  }
  interface PluginProviders {
    'u-llm/openai': UmbrellaOpenAi
  }
}

export async function typed(): Promise<void> {
  const echo = await createProviderInstance('u-llm', 'echo')
  const openai = await createProviderInstance('u-llm', 'openai', { model: 'x' })
  const byId = await createProviderInstance('u-llm/openai')
  const echoById = await createProviderInstance('u-llm/echo', { prefix: '>' })
  const unknown = await createProviderInstance('speech', 'whisper')
  const yes: [Equal<typeof echo, UmbrellaLlm>, Equal<typeof openai, UmbrellaOpenAi>, Equal<typeof byId, UmbrellaOpenAi>] = [
    true,
    true,
    true,
  ]
  const also: [Equal<typeof echoById, UmbrellaLlm>, Equal<typeof unknown, PepperpyPlugin>] = [true, true]
  const system = createPluginSystem({ defaultPaths: false })
  const fromSystem = await system.createProviderInstance('u-llm/openai')
  const viaSystem: Equal<typeof fromSystem, UmbrellaOpenAi> = true
  const mapped: [Equal<PluginOf<'u-llm', 'openai'>, UmbrellaOpenAi>, Equal<PluginOf<'u-llm'>, UmbrellaLlm>] = [true, true]
  await openai.chat(['hi'])
  // @ts-expect-error the echo provider is typed by PluginTypes, which has no chat()
  await echo.chat(['hi'])
  // @ts-expect-error an unmapped type is a plain PepperpyPlugin
  await unknown.generate('hi')
  // @ts-expect-error one string needs a "type/provider" slash
  await createProviderInstance('u-llm')
  // @ts-expect-error the config is an object
  await createProviderInstance('u-llm', 'echo', 'config')
  void [yes, also, viaSystem, mapped]
}
