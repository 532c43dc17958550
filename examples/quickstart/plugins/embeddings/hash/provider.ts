import { PepperpyPlugin } from '@pepperpy/plugin'
import { ResourceMixin } from '@pepperpy/resources'
import { createTokenizer, type Tokenizer } from '../../shared/tokenizer.ts'

/** Feature-hashing embeddings: each token adds 1 to the bucket its hash falls in; vectors are L2-normalised. */
export class HashEmbeddings extends ResourceMixin(PepperpyPlugin) {
  dimensions = 64
  private tokenizer: Tokenizer | undefined

  override async initialize(): Promise<void> {
    // shared with rag/memory: created once, cleaned up after the last holder lets go
    this.tokenizer = await this.getResource('tokenizer', { factory: createTokenizer, cleanup: (t) => t.close() })
  }

  async embed(text: string): Promise<number[]> {
    const vector = new Array<number>(this.dimensions).fill(0)
    for (const token of this.tokenizer!.tokens(text)) vector[this.tokenizer!.hash(token) % this.dimensions]! += 1
    const norm = Math.hypot(...vector) || 1
    return vector.map((v) => v / norm)
  }
}
