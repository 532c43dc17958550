import { PepperpyPlugin } from '@pepperpy/plugin'
import { ResourceMixin } from '@pepperpy/resources'
import type { HashEmbeddings } from '../../embeddings/hash/provider.ts'
import type { Tokenizer } from '../../shared/tokenizer.ts'
import { createTokenizer } from '../../shared/tokenizer.ts'

interface Doc {
  text: string
  vector: number[]
}

/** Retrieval-augmented lookup over in-memory documents, ranked by cosine similarity. */
export class MemoryRag extends ResourceMixin(PepperpyPlugin) {
  topK = 2
  private docs: Doc[] = []
  private tokenizer: Tokenizer | undefined

  private get embeddings(): HashEmbeddings {
    const e = this.getDependency<HashEmbeddings>('embeddings')
    if (!e) throw new Error('rag/memory needs embeddings; initialize it through a plugin system')
    return e
  }

  override async initialize(): Promise<void> {
    this.tokenizer = await this.getResource('tokenizer', { factory: createTokenizer, cleanup: (t) => t.close() })
  }

  async add(...texts: string[]): Promise<void> {
    for (const text of texts) this.docs.push({ text, vector: await this.embeddings.embed(text) })
  }

  async query(question: string): Promise<string[]> {
    const q = await this.embeddings.embed(question)
    return this.docs
      .map((d) => ({ d, score: d.vector.reduce((s, v, i) => s + v * (q[i] ?? 0), 0) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, this.topK)
      .map(({ d }) => d.text)
  }

  /** Tokens in the shared tokenizer's view (shows the resource is the same object). */
  tokenizerId(): number {
    return this.tokenizer?.created ?? 0
  }
}
