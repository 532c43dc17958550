// A plugin author or an app that depends on the contract: augmenting '@pepperpy/plugin' still types the umbrella's lookups.
import { PepperpyPlugin } from '@pepperpy/plugin'
import { createProviderInstance } from '@pepperpy/plugins'
import type { Equal } from './equal.js'

export class ContractTts extends PepperpyPlugin {
  async speak(text: string): Promise<Uint8Array> {
    return new TextEncoder().encode(text)
  }
}
export class ContractPiper extends ContractTts {
  voices(): string[] {
    return ['en']
  }
}

declare module '@pepperpy/plugin' {
  interface PluginTypes {
    'c-tts': ContractTts
  }
  interface PluginProviders {
    'c-tts/piper': ContractPiper
  }
}

export async function typed(): Promise<void> {
  const any = await createProviderInstance('c-tts', 'espeak')
  const piper = await createProviderInstance('c-tts', 'piper')
  const piperById = await createProviderInstance('c-tts/piper')
  const yes: [Equal<typeof any, ContractTts>, Equal<typeof piper, ContractPiper>, Equal<typeof piperById, ContractPiper>] = [
    true,
    true,
    true,
  ]
  // @ts-expect-error voices() belongs to the piper provider only
  any.voices()
  void yes
}
