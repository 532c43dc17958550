import { addLifecycleHook, pluginContext, StateError, type PepperpyPlugin, type StateStore } from '@pepperpy/plugin'
import { FileStateStore } from './file-state-store.js'
import { defaultStateFields, snapshot } from './state-fields.js'

/** Options of {@link persistentPlugin}. */
export interface PersistentOptions {
  /** The state fields. @default own data fields that are not config, not secrets, not functions */
  fields?: string[]
  /** State schema version stored with the data. @default 1 */
  version?: number
  /** Upgrades state saved by an older version. */
  migrate?: (old: Record<string, unknown>, fromVersion: number) => Record<string, unknown>
  /** Where state lives. @default the system's store, else a FileStateStore */
  store?: StateStore
  /** Quiet time after a change before saving. @default 150 */
  debounceMs?: number
  /** Longest a change waits to be saved while changes keep coming. @default 1000 */
  maxWaitMs?: number
  /** How often fields are checked for changes. @default 100 */
  pollMs?: number
}

type Ctor = abstract new (...args: any[]) => PepperpyPlugin

interface Tracker {
  fields: string[]
  store: StateStore
  version: number
  saved: string
  seen: string
  dirtySince: number
  lastChange: number
  timer: NodeJS.Timeout | undefined
  saving: Promise<void>
}

const TRACKER = Symbol('pepperpy.persistence')
let defaultStore: FileStateStore | undefined

function trackerOf(plugin: PepperpyPlugin): Tracker | undefined {
  return (plugin as unknown as { [TRACKER]?: Tracker })[TRACKER]
}

/** The state fields persisted for `plugin` (undefined when it is not persistent or not loaded yet). */
export function persistedFields(plugin: PepperpyPlugin): string[] | undefined {
  return trackerOf(plugin)?.fields
}

/** Saves `plugin`'s state now if it changed (hot reload calls this before swapping). */
export async function flushState(plugin: PepperpyPlugin): Promise<void> {
  const t = trackerOf(plugin)
  if (t) await save(plugin, t, t.version)
}

function storeFor(plugin: PepperpyPlugin, options: PersistentOptions): StateStore {
  return options.store ?? pluginContext(plugin).stateStore ?? (defaultStore ??= new FileStateStore())
}

async function save(plugin: PepperpyPlugin, t: Tracker, version: number): Promise<void> {
  const run = async (): Promise<void> => {
    const data = snapshot(plugin, t.fields)
    const text = JSON.stringify(data)
    if (text === t.saved) return
    try {
      await t.store.save(plugin.pluginId, { version, data, savedAt: new Date().toISOString() })
      t.saved = text
      t.dirtySince = 0
    } catch (error) {
      plugin.logger.error(
        error instanceof StateError ? error.message : `cannot save state of "${plugin.pluginId}": ${(error as Error).message}`,
      )
    }
  }
  t.saving = t.saving.then(run)
  return t.saving
}

function install(plugin: PepperpyPlugin, options: PersistentOptions): void {
  const version = options.version ?? 1
  const debounce = options.debounceMs ?? 150
  const maxWait = options.maxWaitMs ?? 1000
  const poll = options.pollMs ?? 100
  addLifecycleHook(plugin, 'beforeInitialize', async () => {
    const store = storeFor(plugin, options)
    const fields = options.fields ?? defaultStateFields(plugin)
    const t: Tracker = { fields, store, version, saved: '', seen: '', dirtySince: 0, lastChange: 0, timer: undefined, saving: Promise.resolve() }
    Object.defineProperty(plugin, TRACKER, { value: t, configurable: true, enumerable: false })
    let stored
    try {
      stored = await store.load(plugin.pluginId)
    } catch (error) {
      plugin.logger.error(`${(error as Error).message}; starting from defaults`)
    }
    if (stored) {
      let data = stored.data
      if (stored.version < version && options.migrate) data = options.migrate(data, stored.version)
      else if (stored.version > version) plugin.logger.warn(`state of "${plugin.pluginId}" was saved by a newer version (${stored.version} > ${version}); loading it as is`)
      for (const f of fields) if (Object.hasOwn(data, f)) (plugin as unknown as Record<string, unknown>)[f] = data[f]
    }
    t.saved = t.seen = JSON.stringify(snapshot(plugin, fields))
  })
  addLifecycleHook(plugin, 'afterInitialize', () => {
    const t = trackerOf(plugin)
    if (!t) return
    t.timer = setInterval(() => {
      const now = Date.now()
      const text = JSON.stringify(snapshot(plugin, t.fields))
      if (text !== t.seen) {
        t.seen = text
        t.lastChange = now
        if (!t.dirtySince) t.dirtySince = now
      }
      if (t.dirtySince && (now - t.lastChange >= debounce || now - t.dirtySince >= maxWait)) void save(plugin, t, version)
    }, poll)
    t.timer.unref()
  })
  addLifecycleHook(plugin, 'beforeCleanup', async () => {
    const t = trackerOf(plugin)
    if (!t) return
    clearInterval(t.timer)
    await save(plugin, t, version)
  })
}

function persist<C extends Ctor>(Class: C, options: PersistentOptions): C {
  abstract class Persistent extends Class {
    constructor(...args: any[]) {
      super(...args)
      install(this, options)
    }
  }
  Object.defineProperty(Persistent, 'name', { value: Class.name })
  return Persistent
}

/**
 * Makes a plugin class keep its state across restarts: state fields are loaded before
 * `initialize()`, saved after changes (debounced, at most ~1 s late) and on `cleanup()`.
 * Works as a function and as a decorator (`@persistentPlugin` or `@persistentPlugin({ ... })`).
 * @example
 * const Counter = persistentPlugin(class extends PepperpyPlugin { counter = 0 })
 */
export function persistentPlugin<C extends Ctor>(Class: C, options?: PersistentOptions | ClassDecoratorContext): C
export function persistentPlugin(options: PersistentOptions): <C extends Ctor>(Class: C, context?: ClassDecoratorContext) => C
export function persistentPlugin<C extends Ctor>(
  classOrOptions: C | PersistentOptions,
  options?: PersistentOptions | ClassDecoratorContext,
): C | (<D extends Ctor>(Class: D, context?: ClassDecoratorContext) => D) {
  if (typeof classOrOptions === 'function') {
    const isContext = typeof options === 'object' && options !== null && 'kind' in options
    return persist(classOrOptions, isContext ? {} : ((options as PersistentOptions | undefined) ?? {}))
  }
  return <D extends Ctor>(Class: D) => persist(Class, classOrOptions)
}
