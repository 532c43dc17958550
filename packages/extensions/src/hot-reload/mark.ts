import { fileURLToPath } from 'node:url'
import { HOT_RELOADABLE, type HotReloadableMark } from '@pepperpy/plugin'

const THIS_FILE = /[\\/]hot-reload[\\/]mark\.[cm]?[jt]s|[\\/]@pepperpy[\\/]extensions[\\/]/

/** The file of the first stack frame outside this package: the module that defines the class. */
function callerFile(): string | undefined {
  const stack = new Error().stack?.split('\n').slice(1) ?? []
  for (const line of stack) {
    const m = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):\d+:\d+\)?\s*$/.exec(line)
    if (!m?.[1] || THIS_FILE.test(m[1]) || m[1].includes('node:')) continue
    return m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1]
  }
  return undefined
}

function mark<C extends abstract new (...args: any[]) => unknown>(Class: C, file: string | undefined): C {
  const value: HotReloadableMark = { exportName: Class.name, ...(file ? { file } : {}) }
  Object.defineProperty(Class, HOT_RELOADABLE, { value, configurable: true, enumerable: false })
  return Class
}

/**
 * Marks a plugin class as hot-reloadable: `startHotReload()` watches the module that defines it
 * and swaps live instances when it changes. Works as a function and as `@hotReloadablePlugin`.
 * @example
 * export const Greeter = hotReloadablePlugin(class Greeter extends PepperpyPlugin {})
 */
export function hotReloadablePlugin<C extends abstract new (...args: any[]) => unknown>(Class: C, _context?: ClassDecoratorContext): C {
  return mark(Class, callerFile())
}
