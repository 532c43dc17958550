import { PepperpyPlugin } from '@pepperpy/plugin'

/** Turns text into a transcript of what the voice would say. */
export class AcmeTTS extends PepperpyPlugin {
  voice = 'robot'
  speed = 1

  async speak(text: string): Promise<string> {
    return `[${this.voice} x${this.speed}] ${text.split(/\s+/).join(' · ')}`
  }
}
