import { fileURLToPath } from 'node:url'
import { HOT_RELOADABLE, type HotReloadableMark } from '@pepperpy/plugin/spi'

/** Frames that are not the defining module: this file, this package, decorator helpers (tslib). */
const NOT_CALLER = /[\\/]hot-reload[\\/]mark\.[cm]?[jt]s|[\\/]@pepperpy[\\/]extensions[\\/]|[\\/]node_modules[\\/]tslib[\\/]/

/** The file of the first stack frame outside this package: the module that defines the class. */
function callerFile(): string | undefined {
  const stack = new Error().stack?.split('\n').slice(1) ?? []
  for (const line of stack) {
    const m = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):\d+:\d+\)?\s*$/.exec(line)
    if (!m?.[1] || NOT_CALLER.test(m[1]) || m[1].includes('node:')) continue
    return m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1]
  }
  return undefined
}

/**
 * Marks a plugin class as hot-reloadable: `startHotReload()` watches the module that defines it
 * (found from the call stack) and swaps live instances when it changes. Works as a function and
 * as a TC39 class decorator (`@hotReloadablePlugin`). The recorded export name is the class name;
 * when the module exports it under another name, the reloader falls back to the module's only
 * plugin class (or its default export).
 * @example
 * export const Greeter = hotReloadablePlugin(class Greeter extends PepperpyPlugin {})
 */
// biome-ignore lint/suspicious/noExplicitAny: TypeScript requires any[] in a mixin constructor type
export function hotReloadablePlugin<C extends abstract new (...args: any[]) => unknown>(Class: C, context?: ClassDecoratorContext): C {
  const file = callerFile()
  const name = typeof context?.name === 'string' ? context.name : Class.name
  const value: HotReloadableMark = { ...(name ? { exportName: name } : {}), ...(file ? { file } : {}) }
  Object.defineProperty(Class, HOT_RELOADABLE, { value, configurable: true, enumerable: false })
  return Class
}
