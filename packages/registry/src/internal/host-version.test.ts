import { createRequire } from 'node:module'
import { silentLogger } from '@pepperpy/plugin'
import { describe, expect, it } from 'vitest'
import { useTempDirs, write } from '../__tests__/fixtures.js'
import { PluginRegistry } from '../plugin-registry.js'
import { lazyRequire, libraryStamp } from './lazy.js'

const temp = useTempDirs()
const require = createRequire(import.meta.url)

describe('the host version', () => {
  it('an invalid hostVersion option throws in the constructor, before any discovery', () => {
    expect(() => new PluginRegistry({ hostVersion: 'not-a-version' })).toThrow(/is not a semver version/)
    expect(() => new PluginRegistry({ hostVersion: 3 as never })).toThrow(/is not a semver version/)
  })

  it("a manifest's range is checked against @pepperpy/plugin's version by default, and against the option when given", async () => {
    const root = temp()
    write(root, { 'llm/a/plugin.yaml': 'entry_point: p.mjs:A\npepperpy: ">=999.0.0"\n', 'llm/a/p.mjs': 'export class A {}\n' })
    const own = (require('@pepperpy/plugin/package.json') as { version: string }).version
    const messages = async (hostVersion?: string): Promise<string> =>
      (
        await new PluginRegistry({
          paths: [root],
          defaultPaths: false,
          cacheDir: false,
          logger: silentLogger,
          ...(hostVersion ? { hostVersion } : {}),
        }).discover()
      ).diagnostics
        .map((d) => d.message)
        .join('\n')
    expect(await messages()).toContain(`this host is ${own}`)
    expect(await messages('1.2.3')).toContain('this host is 1.2.3')
  })
})

describe('libraryStamp', () => {
  it('names the file and the version of the library this process loaded', () => {
    lazyRequire('yaml')
    const version = (require('yaml/package.json') as { version: string }).version
    expect(libraryStamp('yaml')).toContain(require.resolve('yaml'))
    expect(libraryStamp('yaml').endsWith(`:${version}`)).toBe(true)
  })
})
