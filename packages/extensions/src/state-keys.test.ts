// DESIGN decision 20: state keys are an injective encoding of the pluginId; old file names are still read.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { capture, removeTemps, tempDir } from './__tests__/fleet-helpers.js'
import { FileStateStore } from './persistence/file-state-store.js'
import { legacyStateFileName, stateFileName } from './persistence/state-key.js'

afterEach(removeTemps)

const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)
const pluginId = fc.tuple(name, name).map(([t, p]) => `${t}/${p}`)
const anyKey = fc.oneof(pluginId, fc.string({ unit: 'grapheme', maxLength: 150 }))

describe('state file names (decision 20)', () => {
  it('the reported collisions get distinct files', () => {
    expect(stateFileName('a__b/c')).not.toBe(stateFileName('a/b__c'))
    expect(stateFileName('llm/é')).not.toBe(stateFileName('llm/ü'))
    expect(stateFileName('llm/echo')).toBe('llm__echo.json') // the common case keeps its old name
  })

  it('is injective, also on case-insensitive file systems, and always a plain file name (property)', () => {
    fc.assert(
      fc.property(anyKey, anyKey, (a, b) => {
        const fa = stateFileName(a)
        const fb = stateFileName(b)
        expect(fa).toMatch(/^[A-Za-z0-9._-]+\.json$/)
        expect(fa.length).toBeLessThanOrEqual(255)
        expect(fa.startsWith('.')).toBe(false)
        if (a !== b) expect(fa.toLowerCase()).not.toBe(fb.toLowerCase())
      }),
      { numRuns: 2000 },
    )
  })

  it('two colliding ids keep separate state in a real folder', async () => {
    const store = new FileStateStore({ dir: tempDir() })
    await store.save('a__b/c', { version: 1, data: { who: 'first' } })
    await store.save('a/b__c', { version: 1, data: { who: 'second' } })
    await store.save('llm/é', { version: 1, data: { who: 'e' } })
    await store.save('llm/ü', { version: 1, data: { who: 'u' } })
    expect((await store.load('a__b/c'))?.data).toEqual({ who: 'first' })
    expect((await store.load('a/b__c'))?.data).toEqual({ who: 'second' })
    expect((await store.load('llm/é'))?.data).toEqual({ who: 'e' })
    expect((await store.load('llm/ü'))?.data).toEqual({ who: 'u' })
  })

  it('state saved under the old file name is still read, and the next save moves to the new name', async () => {
    const dir = tempDir()
    const key = 'my_type/Open_AI'
    expect(legacyStateFileName(key)).not.toBe(stateFileName(key))
    writeFileSync(join(dir, legacyStateFileName(key)), JSON.stringify({ version: 1, data: { counter: 41 }, savedAt: 'x' }))
    const store = new FileStateStore({ dir, logger: capture() })
    const old = await store.load(key)
    expect(old).toMatchObject({ data: { counter: 41 }, revision: 0 })
    await store.save(key, { version: 1, data: { counter: 42 } }, { expectedRevision: 0 })
    expect(await store.load(key)).toMatchObject({ data: { counter: 42 }, revision: 1 })
  })
})
