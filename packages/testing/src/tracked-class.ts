import type { PepperpyPlugin, PluginClass } from '@pepperpy/plugin'
import { runAs, type Tracker } from './scope.js'

// methods of the base class that plugin code never overrides to do work of its own
const SKIP = new Set(['constructor', 'getDependency', 'toJSON'])

/**
 * A subclass of `Base` whose constructor and methods (own and inherited, up to Object.prototype)
 * run as plugin code of `id`: timers and pools they create are recorded in `tracker`. Statics,
 * `instanceof`, private fields and the class name are kept; accessors and arrow-function fields are
 * not wrapped (they run in their caller's scope). `onCreate` sees every instance.
 */
export function trackedClass(Base: PluginClass, id: string, tracker: Tracker, onCreate: (plugin: PepperpyPlugin) => void): PluginClass {
  function Tracked(this: unknown, ...args: unknown[]): PepperpyPlugin {
    const plugin = runAs(tracker, id, 'constructor', () => Reflect.construct(Base, args, new.target ?? Tracked) as PepperpyPlugin)
    onCreate(plugin)
    return plugin
  }
  Object.setPrototypeOf(Tracked, Base)
  Object.defineProperty(Tracked, 'name', { value: Base.name })
  const proto = Object.create(Base.prototype, { constructor: { value: Tracked, writable: true, configurable: true } }) as object
  for (const name of methodNames(Base.prototype)) {
    Object.defineProperty(proto, name, {
      configurable: true,
      writable: true,
      value: function (this: PepperpyPlugin, ...args: unknown[]): unknown {
        const impl = Reflect.get(Base.prototype, name, this) as (...a: unknown[]) => unknown
        return runAs(tracker, pluginIdOf(this, id), name, () => impl.apply(this, args))
      },
    })
  }
  Tracked.prototype = proto
  return Tracked as unknown as PluginClass
}

function methodNames(proto: object): Set<string> {
  const names = new Set<string>()
  for (let p: object | null = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) {
      if (SKIP.has(name)) continue
      const d = Object.getOwnPropertyDescriptor(p, name)
      if (d && typeof d.value === 'function') names.add(name)
    }
  }
  return names
}

function pluginIdOf(plugin: PepperpyPlugin, fallback: string): string {
  try {
    return plugin.pluginId
  } catch {
    return fallback
  }
}
