import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { PepperpyPlugin, silentLogger } from '@pepperpy/plugin'
import { hotReloadableMark, instantiatePlugin } from '@pepperpy/plugin/spi'
import ts from 'typescript'
import { afterAll, describe, expect, it } from 'vitest'
import type { declareDecorated } from './__tests__/decorated.js'
import { hotReloadablePlugin } from './hot-reload/mark.js'
import { MemoryStateStore } from './persistence/memory-state-store.js'
import { persistentPlugin } from './persistence/persistent-plugin.js'

// Compile the real decorator syntax the way a user's TypeScript 5 build does (no experimentalDecorators).
const dir = mkdtempSync(join(tmpdir(), 'pepperpy-deco-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const source = readFileSync(join(import.meta.dirname, '__tests__', 'decorated.ts'), 'utf8')
const { outputText } = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } })
const emitted = join(dir, 'decorated.mjs')
writeFileSync(emitted, outputText)
const { declareDecorated: declare } = (await import(pathToFileURL(emitted).href)) as { declareDecorated: typeof declareDecorated }
const { Counter, Hits, Hot } = declare(persistentPlugin, hotReloadablePlugin, PepperpyPlugin)

type Fields = PepperpyPlugin & Record<string, unknown> & { increment(): Promise<number> }
const make = (Class: typeof PepperpyPlugin, store: MemoryStateStore) =>
  instantiatePlugin(Class, {
    type: 'deco',
    provider: Class.name.toLowerCase(),
    logger: silentLogger,
    context: { stateStore: store },
  }) as Fields

describe('TC39 decorators (compiled by TypeScript)', () => {
  it('@persistentPlugin keeps state across instances', async () => {
    expect(outputText).toContain('__esDecorate') // really the standard decorators, lowered by tsc
    const store = new MemoryStateStore()
    for (const expected of [1, 2]) {
      const c = make(Counter, store)
      await c.initialize()
      expect(await c.increment()).toBe(expected)
      await c.cleanup()
    }
    expect(Counter.name).toBe('Counter')
  })

  it('@persistentPlugin({ fields }) persists only the listed fields', async () => {
    const store = new MemoryStateStore()
    const h = make(Hits, store)
    await h.initialize()
    h['hits'] = 3
    h['other'] = 9
    await h.cleanup()
    expect((await store.load('deco/hits'))?.data).toEqual({ hits: 3 })
  })

  it('@hotReloadablePlugin records the defining module and the class name', () => {
    expect(hotReloadableMark(Hot)).toEqual({ exportName: 'Hot', file: emitted })
  })
})
