// Issue #9 — config: __proto__, constructor and prototype keys never pollute prototypes, end to end.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PepperpyPlugin } from '@pepperpy/plugins'
import { cleanupAll, system, temp, write } from './helpers.js'

afterEach(() => {
  delete (Object.prototype as Record<string, unknown>)['polluted']
  return cleanupAll()
})

const clean = () => {
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  expect((Object.prototype as Record<string, unknown>)['polluted']).toBeUndefined()
  expect((PepperpyPlugin.prototype as unknown as Record<string, unknown>)['polluted']).toBeUndefined()
  expect((Function.prototype as unknown as Record<string, unknown>)['polluted']).toBeUndefined()
}

// JSON.parse makes "__proto__" an own key, as a config read from a file or a request would have
const evil = (n: number) =>
  JSON.parse(`{"__proto__": {"polluted": ${n}}, "constructor": {"prototype": {"polluted": ${n}}}, "prototype": {"polluted": ${n}},
    "nested": {"__proto__": {"polluted": ${n}}, "constructor": {"prototype": {"polluted": ${n}}}}}`) as Record<string, unknown>

describe('prototype pollution', () => {
  it('call config, alias config, alias chains and registration metadata keep the keys inert', async () => {
    const s = system()
    class Llm extends PepperpyPlugin {
      model = 'm'
      nested: Record<string, unknown> = {}
    }
    s.registerPlugin('llm', 'x', Llm, { defaultConfig: evil(1) } as never)
    s.registerPluginAlias('llm', 'inner', 'x', evil(2))
    s.registerPluginAlias('llm', 'outer', 'inner', evil(3))
    for (const provider of ['x', 'inner', 'outer']) {
      const p = (await s.createProviderInstance('llm', provider, { ...evil(4), model: 'call' })) as Llm
      await p.initialize()
      clean()
      expect(p.model).toBe('call')
      expect(Object.getPrototypeOf(p)).toBe(Llm.prototype)
      expect(p.constructor).toBe(Llm)
      expect(JSON.stringify(p.config)).not.toContain('polluted":4,"constructor')
      await p.cleanup()
    }
    await s.manager.createInstance('llm', 'outer', evil(5))
    await s.manager.initialize()
    clean()
  })

  it('manifest default_config, config_schema defaults and environment variables keep the keys inert', async () => {
    const root = temp()
    const dir = join(root, 'llm', 'y')
    write(
      join(dir, 'plugin.yaml'),
      [
        'entry_point: p.ts:Y',
        'default_config:',
        '  __proto__: { polluted: 6 }',
        '  constructor: { prototype: { polluted: 7 } }',
        '  prototype: { polluted: 8 }',
        '  nested:',
        '    __proto__: { polluted: 9 }',
        'config_schema:',
        '  type: object',
        '  properties:',
        '    __proto__: { type: object, default: { polluted: 10 } }',
        '    constructor: { type: object, default: { prototype: { polluted: 11 } } }',
        '    prototype: { type: object }',
        '    nested: { type: object, default: { __proto__: { polluted: 12 } } }',
        '    model: { type: string, default: m }',
        '',
      ].join('\n'),
    )
    write(
      join(dir, 'p.ts'),
      "import { PepperpyPlugin } from '@pepperpy/plugin'\nexport class Y extends PepperpyPlugin { model = 'class'; nested = {} }\n",
    )
    const env = {
      PEPPERPY_LLM__Y____PROTO__: '{"polluted":13}',
      PEPPERPY_LLM____PROTO__: '{"polluted":14}',
      PEPPERPY_LLM__Y__CONSTRUCTOR: '{"prototype":{"polluted":15}}',
      PEPPERPY_LLM__Y__PROTOTYPE: '{"polluted":16}',
      PEPPERPY_LLM__Y__NESTED: '{"__proto__":{"polluted":17}}',
    }
    const s = system({ paths: [root], env })
    const report = await s.discoverPlugins()
    clean()
    const p = await s.createProviderInstance('llm', 'y', evil(18)).catch((e: unknown) => e)
    clean()
    if (p instanceof PepperpyPlugin) {
      await p.initialize()
      expect((p as unknown as { model: string }).model).toBe('m')
      expect(Object.getPrototypeOf(Object.getPrototypeOf(p))).toBe(PepperpyPlugin.prototype)
    } else {
      // refusing such a manifest is fine too, as long as it says why
      expect(String(p), String(p)).toMatch(/__proto__|constructor|prototype/)
      expect(report.plugins.map((x) => x.provider)).toEqual(['y'])
    }
    clean()
    await s.manager.createInstance('llm', 'y').catch(() => undefined)
    await s.manager.initialize().catch(() => undefined)
    clean()
  })

  it('a listed manifest keeps the keys inert when read back (listPlugins, manifest as written)', async () => {
    const root = temp()
    write(
      join(root, 'llm', 'z', 'plugin.yaml'),
      'entry_point: p.js:Z\n__proto__: { polluted: 19 }\nx_extra:\n  __proto__: { polluted: 20 }\n',
    )
    const s = system({ paths: [root] })
    await s.discoverPlugins()
    const info = s.listPlugins().find((p) => p.provider === 'z')
    clean()
    expect(info).toBeDefined()
    expect(JSON.parse(JSON.stringify(info)) as unknown).toBeTruthy()
    clean()
  })
})
