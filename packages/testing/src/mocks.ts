import { isPlugin, PepperpyPlugin, type PluginClass } from '@pepperpy/plugin'
import type { PluginSystem } from '@pepperpy/plugins'
import { splitId } from './ids.js'
import { isMockPlugin, mockPlugin, setMockId } from './mock-plugin.js'

/** The class registered for one `mocks` entry: constructing it gives the mock itself. */
export function mockClass(id: string, value: object): PluginClass {
  const [type, provider] = splitId(id, 'mocks')
  let instance: PepperpyPlugin
  if (isMockPlugin(value)) {
    setMockId(value, id)
    instance = value
  } else if (isPlugin(value)) instance = value
  else instance = mockPlugin(value, { id })
  return class Mock extends PepperpyPlugin {
    static override pluginType = type
    static override provider = provider
    constructor() {
      super()
      // biome-ignore lint/correctness/noConstructorReturn: the manager must hold the given mock itself
      return instance
    }
  }
}

/** Warnings for mocks that no plugin of `system` declares a dependency on. */
export function unusedMocks(system: PluginSystem, mockIds: readonly string[], classes: readonly PluginClass[]): string[] {
  const ids = new Set<string>()
  const types = new Set<string>()
  const add = (to: string): void => void (to.includes('/') ? ids.add(to) : types.add(to))
  for (const Class of classes) for (const d of Class.dependencies ?? []) add(d.provider ? `${d.type}/${d.provider}` : d.type)
  for (const e of system.graph().edges) add(e.to)
  const out: string[] = []
  for (const id of mockIds) {
    if (ids.has(id) || types.has(id.slice(0, id.indexOf('/')))) continue
    const known = [...ids, ...types].sort()
    out.push(
      `mock ${id}: no plugin of this test system depends on it (declared dependencies: ${known.length > 0 ? known.join(', ') : 'none'}); check its id or remove it`,
    )
  }
  return out
}
