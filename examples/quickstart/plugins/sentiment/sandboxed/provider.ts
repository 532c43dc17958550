import { isMainThread, threadId } from 'node:worker_threads'
import { PepperpyPlugin } from '@pepperpy/plugin'

const GOOD = new Set(['good', 'great', 'love', 'fast', 'happy'])
const BAD = new Set(['bad', 'slow', 'hate', 'broken', 'sad'])

/** Classifies text by counting good and bad words; runs isolated (see plugin.yaml). */
export class SandboxedSentiment extends PepperpyPlugin {
  async classify(text: string): Promise<{ label: string; score: number; runsIn: string }> {
    let score = 0
    for (const word of text.toLowerCase().split(/\W+/)) score += GOOD.has(word) ? 1 : BAD.has(word) ? -1 : 0
    const label = score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral'
    return { label, score, runsIn: isMainThread ? 'the main thread' : `worker thread #${threadId}` }
  }

  /** Misbehaves on purpose: a synchronous infinite loop (limits.call_timeout_ms stops it). */
  async hang(): Promise<never> {
    for (;;) {}
  }
}
