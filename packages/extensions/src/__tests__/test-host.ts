// A minimal HotReloadHost over real files and a real fresh loader (jiti, moduleCache off): what
// @pepperpy/plugins wires for real with its registry. @pepperpy/* modules are shared, not reloaded.
import * as contract from '@pepperpy/plugin'
import { silentLogger, type Logger, type PepperpyPlugin, type PluginClass } from '@pepperpy/plugin'
import { instantiatePlugin, type HotReloadHost, type LiveInstance, type ModuleLoader, type PluginContext } from '@pepperpy/plugin/spi'
import { createJiti } from 'jiti'
import { createReloadableHandle } from '../hot-reload/handle.js'
import type { HotReloadHandle } from '../hot-reload/start-hot-reload.js'
import * as extensions from '../index.js'

/** The host, a way to create live instances behind handles, and the class the host has registered. */
export interface TestHost {
  host: HotReloadHost
  create<T extends PepperpyPlugin>(config?: Record<string, unknown>): Promise<T>
  registered(): PluginClass | undefined
  /** Makes the target visible to `host.targets()` (it starts hidden with `{ hidden: true }`). */
  reveal(): void
}

/** A host for one plugin `greeter/hello` defined by export `exportName` of `file` in `dir`. */
export function testHost(
  dir: string,
  file: string,
  options: { exportName?: string; context?: PluginContext; logger?: Logger; hidden?: boolean; loader?: ModuleLoader } = {},
): TestHost {
  const exportName = options.exportName ?? 'Greeter'
  const loader: ModuleLoader = options.loader ?? {
    load: (f: string, o?: { fresh?: boolean }) =>
      createJiti(import.meta.url, {
        moduleCache: !o?.fresh,
        fsCache: false,
        interopDefault: false,
        virtualModules: { '@pepperpy/plugin': contract, '@pepperpy/extensions': extensions },
      }).import<Record<string, unknown>>(f),
  }
  const lives: LiveInstance[] = []
  let Class: PluginClass | undefined
  let visible = !options.hidden
  const logger = options.logger ?? silentLogger
  const host: HotReloadHost = {
    loader,
    logger,
    targets: () => (visible ? [{ type: 'greeter', provider: 'hello', dir, entryFile: file, exportName }] : []),
    replaceClass: (_t, _p, C) => void (Class = C),
    liveInstances: () => lives,
  }
  return {
    host,
    registered: () => Class,
    reveal: () => void (visible = true),
    async create<T extends PepperpyPlugin>(config: Record<string, unknown> = {}): Promise<T> {
      Class ??= (await loader.load(file))[exportName] as PluginClass
      const init = { type: 'greeter', provider: 'hello', config, logger, ...(options.context ? { context: options.context } : {}) }
      const handle = createReloadableHandle<PepperpyPlugin>(instantiatePlugin(Class, init))
      lives.push({
        get current() {
          return handle.current
        },
        recreate: (C) => instantiatePlugin(C, init),
        swap: (next) => handle.swap(next),
      })
      return handle.proxy as T
    },
  }
}

/** The next `reload` or `error` event of `watcher`. */
export function nextEvent(watcher: HotReloadHandle, event: 'reload' | 'error'): Promise<{ pluginId?: string; error?: Error }> {
  return new Promise((resolve) => watcher.on(event as 'error', resolve as never))
}
