import { PepperpyPlugin } from '@pepperpy/plugin'

/** A deterministic LLM: answers by echoing the prompt in the configured style. */
export class EchoLLM extends PepperpyPlugin {
  style: 'plain' | 'upper' | 'reverse' = 'plain'
  prefix = 'echo'

  async generate(prompt: string): Promise<string> {
    const text = this.style === 'upper' ? prompt.toUpperCase() : this.style === 'reverse' ? [...prompt].reverse().join('') : prompt
    return `${this.prefix}: ${text}`
  }
}
