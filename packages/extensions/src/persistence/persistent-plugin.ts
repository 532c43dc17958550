import { channels, describeError, StateError, type PepperpyPlugin, type StateStore, type StoredState } from '@pepperpy/plugin'
import { addLifecycleHook, pluginContext } from '@pepperpy/plugin/spi'
import { channelTracer } from '@pepperpy/plugin/spi'
import { StateTracker } from '../internal/state-tracker.js'
import { FileStateStore } from './file-state-store.js'
import { defaultStateFields } from './state-fields.js'
import { resolveMerge, type MergeOption } from './state-merge.js'

const loadingState = channelTracer(channels.stateLoad)

/** Options of {@link persistentPlugin}. */
export interface PersistentOptions {
  /** The state fields. @default own data fields that are not config, not secrets, not functions */
  fields?: string[]
  /** State schema version stored with the data. @default 1 */
  version?: number
  /** Upgrades state saved by an older version; a throw fails `initialize()` and leaves the stored state alone. */
  migrate?: (old: Record<string, unknown>, fromVersion: number) => Record<string, unknown>
  /** Where state lives. @default the system's store, else a FileStateStore */
  store?: StateStore
  /** Quiet time after a change before saving. @default 150 */
  debounceMs?: number
  /** Longest a change waits to be saved while changes keep coming. @default 1000 */
  maxWaitMs?: number
  /** How often fields are checked for changes. @default 100 */
  pollMs?: number
  /**
   * Resolves a save that lost a race with another writer (another process or instance): a function
   * `(ours, theirs, base) => merged`, or per-field strategies (`{ counter: 'sum' }`: concurrent
   * increments add up). @default per field: changed on one side takes that side, changed on both takes theirs with a warning
   */
  merge?: MergeOption
  /** How long `cleanup()` keeps retrying a final save that fails (a store restarting) before it logs the loss. @default 5000 */
  finalSaveRetryMs?: number
  /** Apply other writers' saves to this running instance's unchanged fields (within about a second). @default false */
  sync?: boolean
}

// biome-ignore lint/suspicious/noExplicitAny: TypeScript requires any[] in a mixin constructor type
type Ctor = abstract new (...args: any[]) => PepperpyPlugin

const TRACKER = Symbol('pepperpy.persistence')
let defaultStore: FileStateStore | undefined

/** The state tracker of an initialized persistent plugin (internal to this package). */
export function trackerOf(plugin: PepperpyPlugin): StateTracker | undefined {
  return (plugin as unknown as { [TRACKER]?: StateTracker })[TRACKER]
}

/** The state fields persisted for `plugin` (undefined when it is not persistent or not loaded yet). */
export function persistedFields(plugin: PepperpyPlugin): string[] | undefined {
  return trackerOf(plugin)?.fields
}

/**
 * Saves `plugin`'s state now if it changed since the last save, and waits for the save. Call it
 * before `process.exit()` or at points where a change must be durable; changes are otherwise saved
 * within about a second, on `cleanup()`/`dispose()`, and when the process exits normally. Never
 * throws: a failed save is logged and retried.
 */
export async function flushState(plugin: PepperpyPlugin): Promise<void> {
  await trackerOf(plugin)?.flush()
}

function storeFor(plugin: PepperpyPlugin, options: PersistentOptions): StateStore {
  return options.store ?? pluginContext(plugin).stateStore ?? (defaultStore ??= new FileStateStore())
}

function upgrade(plugin: PepperpyPlugin, stored: StoredState, version: number, options: PersistentOptions): Record<string, unknown> {
  const id = plugin.pluginId
  if (stored.version > version) {
    plugin.logger.warn(`state of "${id}" was saved by a newer version (${stored.version} > ${version}); loading it as is`)
    return stored.data
  }
  if (stored.version === version || !options.migrate) return stored.data
  let data: unknown
  try {
    data = options.migrate(stored.data, stored.version)
  } catch (cause) {
    throw new StateError(
      `cannot migrate state of "${id}" from version ${stored.version} to ${version}: ${describeError(cause)}; the stored state is left as it was`,
      { cause, pluginId: id },
    )
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new StateError(
      `migrate() of "${id}" returned ${data === null ? 'null' : typeof data} instead of an object; the stored state is left as it was`,
      { pluginId: id },
    )
  }
  return data as Record<string, unknown>
}

function install(plugin: PepperpyPlugin, options: PersistentOptions): void {
  const version = options.version ?? 1
  const timing = { debounceMs: options.debounceMs ?? 150, maxWaitMs: options.maxWaitMs ?? 1000, pollMs: options.pollMs ?? 100 }
  addLifecycleHook(plugin, 'beforeInitialize', async () => {
    const store = storeFor(plugin, options)
    const fields = options.fields ?? defaultStateFields(plugin)
    let stored: StoredState | undefined
    try {
      const key = plugin.pluginId
      stored = await (loadingState.active
        ? loadingState.tracePromise({ pluginId: key, type: plugin.pluginType, provider: plugin.provider, key }, () => store.load(key))
        : store.load(key))
    } catch (cause) {
      // never start from defaults here: the next save would overwrite the good stored state
      throw new StateError(
        `cannot load state of "${plugin.pluginId}" from ${describeStore(store)}: ${describeError(cause)}; initialize() stops so the stored state is not overwritten (fix the cause and initialize again)`,
        { cause, pluginId: plugin.pluginId },
      )
    }
    if (stored) {
      const data = upgrade(plugin, stored, version, options)
      for (const f of fields) if (Object.hasOwn(data, f)) (plugin as unknown as Record<string, unknown>)[f] = data[f]
    }
    const merge = resolveMerge(options.merge, fields, (field) =>
      plugin.logger.warn(
        `state field "${field}" of "${plugin.pluginId}" was changed here and by another writer; keeping the other writer's value (declare merge: { ${field}: ... } to choose)`,
      ),
    )
    const tracker = new StateTracker(plugin, {
      store,
      fields,
      version,
      revision: stored?.revision ?? 0,
      merge,
      sync: options.sync ?? false,
      readData: (s) => upgrade(plugin, s, version, options),
    })
    Object.defineProperty(plugin, TRACKER, { value: tracker, configurable: true, enumerable: false, writable: true })
  })
  addLifecycleHook(plugin, 'afterInitialize', () => trackerOf(plugin)?.start(timing))
  addLifecycleHook(plugin, 'beforeCleanup', async () => {
    const tracker = trackerOf(plugin)
    tracker?.stop()
    await tracker?.flushFinal(options.finalSaveRetryMs ?? 5000)
  })
}

/** A name for `store` in messages: its class, and its folder or address when it has one. */
function describeStore(store: StateStore): string {
  const text = String(store)
  if (text !== '[object Object]') return text
  const dir = (store as { dir?: unknown }).dir
  return `${store.constructor?.name ?? 'StateStore'}${typeof dir === 'string' ? ` (${dir})` : ''}`
}

function persist<C extends Ctor>(Class: C, options: PersistentOptions): C {
  abstract class Persistent extends Class {
    // biome-ignore lint/suspicious/noExplicitAny: TypeScript requires any[] in a mixin constructor
    constructor(...args: any[]) {
      super(...args)
      install(this, options)
    }
  }
  Object.defineProperty(Persistent, 'name', { value: Class.name })
  return Persistent
}

const isDecoratorContext = (value: unknown): value is ClassDecoratorContext =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'class'

/**
 * Makes a plugin class keep its state across restarts: state fields are loaded before
 * `initialize()`, saved after changes (debounced, at most ~1 s late) and on `cleanup()`.
 * Works as a function and as a TC39 class decorator (`@persistentPlugin` or `@persistentPlugin({ ... })`).
 * @example
 * const Counter = persistentPlugin(class Counter extends PepperpyPlugin { counter = 0 })
 */
export function persistentPlugin<C extends Ctor>(Class: C, options?: PersistentOptions | ClassDecoratorContext): C
export function persistentPlugin(options: PersistentOptions): <C extends Ctor>(Class: C, context?: ClassDecoratorContext) => C
export function persistentPlugin<C extends Ctor>(
  classOrOptions: C | PersistentOptions,
  options?: PersistentOptions | ClassDecoratorContext,
): C | (<D extends Ctor>(Class: D, context?: ClassDecoratorContext) => D) {
  if (typeof classOrOptions === 'function') return persist(classOrOptions, isDecoratorContext(options) ? {} : (options ?? {}))
  return <D extends Ctor>(Class: D) => persist(Class, classOrOptions)
}
