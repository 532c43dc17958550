import { fileURLToPath } from 'node:url'
import { createTestSystem, mockPlugin } from '@pepperpy/testing'
import { expect, it } from 'vitest'
import type { MemoryRag } from '../plugins/rag/memory/provider.ts'

const plugins = fileURLToPath(new URL('../plugins', import.meta.url))

// one dimension per word: a query ranks the documents by how many of its words they contain
const words = ['paris', 'france', 'berlin', 'germany']
const embeddings = mockPlugin({ embed: async (text: string) => words.map((w) => (text.toLowerCase().includes(w) ? 1 : 0)) })

it('rag/memory ranks documents with whatever embeddings it is given, and leaves nothing behind', async () => {
  const system = createTestSystem({ paths: [plugins], mocks: { 'embeddings/hash': embeddings } })
  const rag = await system.start<MemoryRag>('rag', 'memory', { top_k: 1 })
  await rag.add('Berlin is in Germany.', 'Paris is the capital of France.')
  expect(await rag.query('capital of France')).toEqual(['Paris is the capital of France.'])
  expect(embeddings.calls.map((c) => c.args[0])).toEqual(['Berlin is in Germany.', 'Paris is the capital of France.', 'capital of France'])
  expect(system.logs).toContainEqual({
    level: 'warn',
    message: 'optional dependency storage/local of rag/memory is not available; continuing without it',
  })
  await system.dispose() // the shared tokenizer is released at cleanup: no LeakError
})
