import { channels, type Logger, type PluginClass } from '@pepperpy/plugin'
import { firstLine, isPluginClass, type ModuleLoader } from '@pepperpy/plugin/spi'
import { channelTracer } from '@pepperpy/plugin/spi'
import type { DiscoveredPlugin } from '../discovery/discovered.js'
import type { RegistryLoadOptions } from '../module-loader.js'

const loading = channelTracer(channels.load)

/**
 * Loaded plugin classes keyed by entry module and export (not by id, so a plugin that moves to
 * another root or file after a rescan is loaded from its new place). Each class is imported once;
 * concurrent callers share one import; a failed import is not cached, so a fixed file loads next time.
 */
export class ClassCache {
  readonly #classes = new Map<string, PluginClass>()
  readonly #loading = new Map<string, Promise<PluginClass>>()
  readonly #loader: ModuleLoader
  readonly #logger: Logger

  constructor(loader: ModuleLoader, logger: Logger) {
    this.#loader = loader
    this.#logger = logger
  }

  /** The loaded class of `plugin`, importing its entry module on first use. */
  load(plugin: DiscoveredPlugin): Promise<PluginClass> {
    const key = keyOf(plugin)
    if (key === undefined) return Promise.reject(new Error(plugin.entryProblem ?? 'no entry module'))
    const loaded = this.#classes.get(key)
    if (loaded) return Promise.resolve(loaded)
    let pending = this.#loading.get(key)
    if (!pending) {
      const { type, provider } = plugin.info
      const run = loading.active
        ? loading.tracePromise({ pluginId: `${type}/${provider}`, type, provider, file: plugin.entryFile! }, () => this.#import(plugin))
        : this.#import(plugin)
      pending = run.then(
        (Class) => {
          this.#classes.set(key, Class)
          this.#loading.delete(key)
          return Class
        },
        (error: unknown) => {
          this.#loading.delete(key)
          throw error
        },
      )
      this.#loading.set(key, pending)
    }
    return pending
  }

  /** Uses `Class` for `plugin`'s entry from now on (hot reload). */
  replace(plugin: DiscoveredPlugin, Class: PluginClass): void {
    const key = keyOf(plugin)
    if (key !== undefined) this.#classes.set(key, Class)
  }

  async #import(plugin: DiscoveredPlugin): Promise<PluginClass> {
    const file = plugin.entryFile!
    let ns: Record<string, unknown>
    try {
      const options: RegistryLoadOptions = { native: plugin.manifest.hot_reload !== true }
      ns = await this.#loader.load(file, options)
    } catch (error) {
      throw new Error(`cannot load ${file}: ${firstLine(error)}`, { cause: error })
    }
    const name = plugin.exportName ?? 'default'
    const Class = ns[name]
    if (Class === undefined) {
      const exports = Object.keys(ns).filter((k) => k !== '__esModule')
      throw new Error(
        `${file} has no ${name === 'default' ? 'default export' : `export "${name}"`}; it exports ${exports.join(', ') || 'nothing'}`,
      )
    }
    if (!isPluginClass(Class)) throw new Error(`export "${name}" of ${file} is not a class extending PepperpyPlugin`)
    stamp(Class, plugin.info.type, plugin.info.provider)
    this.#logger.debug(`loaded ${plugin.info.type}/${plugin.info.provider} from ${file}`)
    return Class
  }
}

/** Sets `static pluginType` and `static provider` on `Class` unless it declares its own. */
export function stamp(Class: PluginClass, type: string, provider: string): void {
  for (const [key, value] of [
    ['pluginType', type],
    ['provider', provider],
  ] as const) {
    if (!Object.hasOwn(Class, key)) Object.defineProperty(Class, key, { value, configurable: true, writable: true })
  }
}

function keyOf(plugin: DiscoveredPlugin): string | undefined {
  return plugin.entryFile === undefined ? undefined : `${plugin.entryFile}#${plugin.exportName ?? 'default'}`
}
