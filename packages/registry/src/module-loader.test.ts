import { createRequire } from 'node:module'
import { join } from 'node:path'
import { PepperpyPlugin } from '@pepperpy/plugin'
import { describe, expect, it } from 'vitest'
import { useTempDirs, write } from './__tests__/fixtures.js'
import { createModuleLoader } from './module-loader.js'

const temp = useTempDirs()

const g = globalThis as { __loaderEvals?: Record<string, number> }
const count = (name: string) =>
  `;(globalThis.__loaderEvals ??= {})[${JSON.stringify(name)}] = ((globalThis.__loaderEvals ?? {})[${JSON.stringify(name)}] ?? 0) + 1\n`

describe('createModuleLoader', () => {
  it('loads TypeScript importing @pepperpy/plugin; the class is the host PepperpyPlugin subclass, fresh or not', async () => {
    const dir = temp()
    write(dir, {
      'provider.ts': `import { PepperpyPlugin } from '@pepperpy/plugin'\nimport { greet } from './helper'\nexport class P extends PepperpyPlugin { hello(): string { return greet() } }\n`,
      'helper.ts': `export const greet = (): string => 'hi'\n`,
    })
    const loader = createModuleLoader()
    for (const fresh of [false, true]) {
      const ns = await loader.load(join(dir, 'provider.ts'), { fresh })
      const P = ns['P'] as typeof PepperpyPlugin
      const p = P.create()
      expect(p).toBeInstanceOf(PepperpyPlugin)
      expect((p as unknown as { hello(): string }).hello()).toBe('hi')
    }
  })

  it('fresh loads evaluate the plugin folder anew but share node_modules packages with the host', async () => {
    const dir = temp()
    write(dir, {
      'entry.mts': `${count('entry')}import semver from 'semver'\nimport { stamp } from './dep.ts'\nexport { semver, stamp }\n`,
      'dep.ts': `${count('dep')}export const stamp = {}\n`,
    })
    g.__loaderEvals = {}
    const loader = createModuleLoader()
    const a = await loader.load(join(dir, 'entry.mts'), { fresh: true })
    const b = await loader.load(join(dir, 'entry.mts'), { fresh: true })
    expect(g.__loaderEvals).toEqual({ entry: 2, dep: 2 })
    expect(a['stamp']).not.toBe(b['stamp'])
    const hostSemver: unknown = createRequire(import.meta.url)('semver')
    expect(a['semver']).toBe(hostSemver)
    expect(b['semver']).toBe(hostSemver)
  })

  it('fresh loads leave nothing in the CommonJS module cache (no copy kept per reload)', async () => {
    const dir = temp()
    write(dir, { 'p.ts': `export const big = 'x'.repeat(10_000)\n`, 'c.cjs': `${count('cjs')}module.exports = { n: 1 }\n` })
    g.__loaderEvals = {}
    const loader = createModuleLoader()
    const cache = createRequire(import.meta.url).cache
    for (let i = 0; i < 20; i++) {
      await loader.load(join(dir, 'p.ts'), { fresh: true })
      await loader.load(join(dir, 'c.cjs'), { fresh: true })
    }
    expect(Object.keys(cache).filter((k) => k.startsWith(dir))).toEqual([])
    expect(g.__loaderEvals).toEqual({ cjs: 20 })
  })

  it('normal loads are cached: the same namespace and one evaluation', async () => {
    const dir = temp()
    write(dir, { 'once.ts': `${count('once')}export default class {}\n` })
    g.__loaderEvals = {}
    const loader = createModuleLoader()
    const [a, b] = await Promise.all([loader.load(join(dir, 'once.ts')), loader.load(join(dir, 'once.ts'))])
    expect(a['default']).toBe(b['default'])
    expect(g.__loaderEvals).toEqual({ once: 1 })
  })

  it('hands sharedModules to plugin code as they are', async () => {
    const dir = temp()
    write(dir, { 'p.ts': `import { token } from 'host-services'\nexport const seen = token\n` })
    const token = { shared: true }
    const ns = await createModuleLoader({ sharedModules: { 'host-services': { token } } }).load(join(dir, 'p.ts'), { fresh: true })
    expect(ns['seen']).toBe(token)
  })

  it('rejects with the file and the cause when the module does not compile', async () => {
    const dir = temp()
    write(dir, { 'bad.ts': 'export const = ;\n' })
    await expect(createModuleLoader().load(join(dir, 'bad.ts'))).rejects.toThrow()
  })
})
