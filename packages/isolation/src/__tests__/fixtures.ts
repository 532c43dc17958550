import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger, type Logger, type PepperpyPlugin, type PluginContext, type StateStore, type StoredState } from '@pepperpy/plugin'
import { instantiatePlugin } from '@pepperpy/plugin/spi'
import { createIsolation, type Isolation } from '../isolation.js'
import { isolationSpecOf } from '../spec.js'

/** The registry's module loader and the shared extensions, from sources (what the umbrella passes). */
export const loader: string = new URL('../../../registry/src/index.ts', import.meta.url).href
export const sharedModules: Record<string, string> = {
  '@pepperpy/extensions': new URL('../../../extensions/src/index.ts', import.meta.url).href,
}

/** A temporary plugin folder with `plugin.ts` holding `source`. */
export function pluginDir(source: string, name = 'plugin.ts'): { dir: string; file: string; remove(): void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'pepperpy-iso-')))
  const file = join(dir, name)
  writeFileSync(file, source)
  return { dir, file, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Captured log lines. */
export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) })
  return Object.assign(logger, { lines })
}

/** Creates and returns an isolated instance of the plugin in `file` (manifest fields as given). */
export async function isolated(
  isolation: Isolation,
  o: {
    dir: string
    file: string
    manifest?: Record<string, unknown>
    type?: string
    provider?: string
    config?: Record<string, unknown>
    context?: PluginContext
    logger?: Logger
  },
): Promise<PepperpyPlugin & Record<string, (...a: unknown[]) => Promise<unknown>>> {
  const type = o.type ?? 'test'
  const provider = o.provider ?? 'iso'
  const spec = isolationSpecOf({ isolation: 'worker', ...o.manifest }, o.dir)
  const base = { type, provider, dir: o.dir, file: o.file, spec, dependencies: [] as never[] }
  const methods = await isolation.describe(base)
  const Class = isolation.classFor({ ...base, methods })
  return instantiatePlugin(Class, {
    type,
    provider,
    config: o.config ?? {},
    ...(o.logger ? { logger: o.logger } : {}),
    context: o.context ?? { stateStore: memoryStore() },
  }) as never
}

/** A minimal in-memory StateStore (the isolate's state goes to the host's store). */
export function memoryStore(): StateStore {
  const data = new Map<string, StoredState>()
  return {
    load: async (key) => data.get(key),
    save: async (key, state) => void data.set(key, structuredClone(state)),
    delete: async (key) => void data.delete(key),
  }
}

/** A fresh Isolation with the sources' loader. */
export function newIsolation(opts: { initTimeoutMs?: number; startTimeoutMs?: number; env?: Record<string, string> } = {}): Isolation {
  return createIsolation({ loader, sharedModules, ...opts })
}
