import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { manifestReference } from '../../scripts/manifest-reference.ts'

it('docs/manifest-reference.md is generated from the current schema (run `pnpm docs:manifest`)', () => {
  const committed = readFileSync(new URL('../../docs/manifest-reference.md', import.meta.url), 'utf8')
  expect(committed).toBe(manifestReference())
})
