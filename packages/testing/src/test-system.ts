import { describeError, LeakError, PepperpyError, type PepperpyPlugin, type PluginClass } from '@pepperpy/plugin'
import type { ResolvedPlugin } from '@pepperpy/plugin/spi'
import { createPluginSystem, defaultResourcePool, MemoryStateStore, type PluginOf, type PluginSystem } from '@pepperpy/plugins'
import { captureLogger, type LogEntry } from './capture-logger.js'
import { splitId } from './ids.js'
import { instanceLeaks, poolLeaks, timerLeaks } from './leak-check.js'
import { mockClass, unusedMocks } from './mocks.js'
import type { TestSystemOptions } from './options.js'
import { HolderTracker } from './resource-tracking.js'
import { startTracking, type Tracker } from './scope.js'
import { trackedClass } from './tracked-class.js'

/** A plugin system for one test: captured logs, `start()`, and a `dispose()` that checks for leaks. */
export interface TestSystem extends PluginSystem {
  /** Every line logged by the system and its plugins, all levels. */
  readonly logs: LogEntry[]
  /**
   * Creates `type/provider` in the system's manager, loads and initializes its dependencies
   * (mocks included), then initializes it.
   * @throws PluginNotFoundError (with did-you-mean suggestions) for an unknown id
   */
  start<T extends PepperpyPlugin = never, K extends string = string>(
    type: K,
    provider: string,
    config?: Record<string, unknown>,
  ): Promise<[T] extends [never] ? PluginOf<K> : T>
  /**
   * Cleans up every instance and resource, then checks what the plugins left behind.
   * @throws LeakError listing instances still initialized, timers still running, resources still held and pools not drained
   */
  dispose(): Promise<void>
}

/**
 * Creates a plugin system for tests: a MemoryStateStore, an empty environment, no default plugin
 * roots, a capturing logger, `plugins` registered and `mocks` standing in for dependencies.
 * @param options what to register and how the system is set up
 * @returns the system; call `dispose()` at the end of each test
 * @example
 * const system = createTestSystem({ plugins: { 'rag/naive': NaiveRag }, mocks: { 'embeddings/fake': { embed: async () => [1] } } })
 * const rag = await system.start('rag', 'naive')
 * await system.dispose() // throws LeakError when a plugin left a timer, resource or pool behind
 */
export function createTestSystem(options: TestSystemOptions = {}): TestSystem {
  const { plugins, mocks, env, paths, stateStore, ...rest } = options
  // bad keys throw before anything is set up
  for (const id of Object.keys(plugins ?? {})) splitId(id, 'plugins')
  for (const id of Object.keys(mocks ?? {})) if (splitId(id, 'mocks') && plugins?.[id]) duplicate(id)
  const logs: LogEntry[] = []
  const tracker: Tracker = { timers: new Set(), sweepAt: 1024, pools: [] }
  const stopTracking = startTracking()
  const system = createPluginSystem({
    ...rest,
    logger: captureLogger(logs),
    env: env ?? {},
    paths: paths ?? [],
    defaultPaths: false,
    stateStore: stateStore ?? new MemoryStateStore(),
  })
  const instances = new Set<PepperpyPlugin>()
  const untracked = new Set<PluginClass>()
  trackResolution(system, (Class, id) =>
    untracked.has(Class) ? Class : trackedClass(Class, id, tracker, (plugin) => void instances.add(plugin)),
  )
  const holders = new HolderTracker(system.resources)
  const defaultKeys = new Set(defaultResourcePool().keys())
  let resourceLeaks: string[] = []
  const disposeResources = system.resources.dispose
  system.resources.dispose = () => {
    resourceLeaks = [...holders.leaks(), ...newDefaultResources(defaultKeys)]
    return disposeResources.call(system.resources)
  }

  const classes = Object.entries(plugins ?? {})
  for (const [id, Class] of classes) system.registerPlugin(...splitId(id, 'plugins'), Class)
  const mockIds = Object.keys(mocks ?? {})
  const fallbacks = new Map<string, string[]>()
  for (const [id, value] of Object.entries(mocks ?? {})) {
    const Class = mockClass(id, value)
    untracked.add(Class)
    const [type, provider] = splitId(id, 'mocks')
    system.registerPlugin(type, provider, Class)
    fallbacks.set(type, [...(fallbacks.get(type) ?? []), provider])
  }
  // a dependency on a bare type, from createProviderInstance too, resolves to that type's mock
  for (const [type, providers] of fallbacks) system.registerPluginFallbacks(type, providers)

  let prepared: Promise<void> | undefined
  const prepare = async (): Promise<void> => {
    if (paths?.length) await system.discoverPlugins()
    // held before anything asks, so a dependency on a bare type finds its mock
    for (const id of mockIds) await system.manager.createInstance(...splitId(id, 'mocks'))
    warnUnusedMocks()
  }
  const warnUnusedMocks = (): void => {
    for (const warning of unusedMocks(
      system,
      mockIds,
      classes.map(([, C]) => C),
    ))
      system.logger.warn(warning)
  }

  let disposing: Promise<void> | undefined
  const test: TestSystem = {
    ...system,
    logs,
    async start(type: string, provider: string, config?: Record<string, unknown>) {
      await (prepared ??= prepare())
      const plugin = await system.manager.createInstance(type, provider, config)
      await system.manager.loadDependencies(type, provider)
      await plugin.initialize()
      return plugin
    },
    dispose() {
      disposing ??= disposeAll()
      return disposing
    },
  } as TestSystem

  async function disposeAll(): Promise<void> {
    if (!prepared) warnUnusedMocks()
    let failure: unknown
    try {
      // the system bounds each cleanup() by cleanupTimeoutMs; this is a safety net should it not
      await within(system.dispose(), (options.cleanupTimeoutMs ?? 30_000) * 2 + 1_000)
    } catch (error) {
      failure = error
      if (resourceLeaks.length === 0) resourceLeaks = holders.leaks()
    }
    const leaks = [
      ...(failure === undefined ? [] : [`cleanup failed: ${describeError(failure)}`]),
      ...instanceLeaks([...instances, ...system.manager.listInstances()]),
      ...resourceLeaks,
      ...timerLeaks(tracker),
      ...(await poolLeaks(tracker)),
    ]
    stopTracking()
    if (leaks.length > 0) throw new LeakError(leaks, failure === undefined ? {} : { cause: failure })
  }

  return test
}

/** Makes every class the system's registry hands out a tracked one (this registry object only). */
function trackResolution(system: PluginSystem, wrap: (Class: PluginClass, id: string) => PluginClass): void {
  const registry = system.registry
  const cache = new Map<PluginClass, Map<string, PluginClass>>()
  const swap = (r: ResolvedPlugin): ResolvedPlugin => {
    const id = `${r.type}/${r.provider}`
    let byId = cache.get(r.PluginClass)
    if (!byId) cache.set(r.PluginClass, (byId = new Map()))
    let Tracked = byId.get(id)
    if (!Tracked) byId.set(id, (Tracked = wrap(r.PluginClass, id)))
    return { ...r, PluginClass: Tracked }
  }
  const resolve = registry.resolve.bind(registry)
  const resolveNow = registry.resolveNow.bind(registry)
  registry.resolve = (type, provider, config) => resolve(type, provider, config).then(swap)
  registry.resolveNow = (type, provider, config) => {
    const r = resolveNow(type, provider, config)
    return r && swap(r)
  }
}

function newDefaultResources(before: ReadonlySet<string>): string[] {
  return defaultResourcePool()
    .keys()
    .filter((key) => !before.has(key))
    .map(
      (key) =>
        `resource "${key}" of the process-wide default pool is still held after cleanup (a plugin made without the system's context took it); release it or clean up its holder`,
    )
}

async function within(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PepperpyError(`the plugin system's dispose() did not finish within ${ms} ms (a cleanup() hangs)`)),
      ms,
    )
  })
  try {
    await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}

function duplicate(id: string): never {
  throw new PepperpyError(`createTestSystem: "${id}" is in both plugins and mocks; keep one`)
}
