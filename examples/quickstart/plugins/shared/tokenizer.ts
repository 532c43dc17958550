/** A tiny tokenizer with a token-hash cache: the "expensive" resource the quickstart shares. */
export interface Tokenizer {
  tokens(text: string): string[]
  hash(token: string): number
  close(): void
  readonly created: number
}

let created = 0

/** Creates the shared tokenizer (the resource factory). */
export function createTokenizer(): Tokenizer {
  created++
  const cache = new Map<string, number>()
  console.log(`   (resource) tokenizer created — instance #${created}`)
  return {
    created,
    tokens: (text) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [],
    hash(token) {
      let h = cache.get(token)
      if (h === undefined) {
        h = 2166136261
        for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 16777619) >>> 0
        cache.set(token, h)
      }
      return h
    },
    close() {
      cache.clear()
      console.log('   (resource) tokenizer closed by its last holder')
    },
  }
}
