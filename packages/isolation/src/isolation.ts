import { statSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { describeError, PluginCrashedError, PluginInitError, type PluginClass } from '@pepperpy/plugin'
import { isolatedClass } from './isolated-class.js'
import { launch, readableRoots, type Launch } from './launch.js'
import { permissionPlan } from './permissions.js'
import type { HostFunctions } from './protocol.js'
import type { IsolationTarget, RunnerHost } from './types.js'
import { envFor } from './runtime/field-env.js'
import { Session } from './session.js'

/** Options of {@link createIsolation}. */
export interface IsolationOptions {
  /** File URL or path of a module exporting `createModuleLoader(options)` (the registry's), imported inside each isolate. */
  loader: string
  /** Modules handed to plugin code inside the isolate as they are: specifier -> file URL or path. */
  sharedModules?: Record<string, string>
  /** Limit of each `initialize()` in the isolate. @default 30000 */
  initTimeoutMs?: number
  /** Limit of starting an isolate and loading the plugin's entry module in it. @default initTimeoutMs */
  startTimeoutMs?: number
  /** Limit of each `cleanup()`. @default 30000 */
  cleanupTimeoutMs?: number
  /** Environment the plugin's own variables are taken from. @default process.env */
  env?: Record<string, string | undefined>
}

/** Runs plugins in worker threads or child processes; one per plugin system. */
export interface Isolation {
  /** The method names of the plugin class of `target` (loads it in a short-lived isolate; cached per file version). */
  describe(target: Omit<IsolationTarget, 'methods' | 'loader' | 'shared'>): Promise<string[]>
  /** The host-side class for `target`: instances are `instanceof PepperpyPlugin` and run in their own isolate. */
  classFor(target: Omit<IsolationTarget, 'loader' | 'shared'>): PluginClass
  /** The isolates running now (pid or threadId, and kind). */
  running(): Array<{ kind: 'worker' | 'process'; id: number }>
  /** Ends every isolate still running (calls in flight reject with PluginCrashedError). */
  dispose(): Promise<void>
}

/**
 * Creates the isolation of one plugin system.
 * @param options where the module loader and the shared modules are
 * @returns an {@link Isolation}
 * @example
 * const isolation = createIsolation({ loader: import.meta.resolve('@pepperpy/registry') })
 */
export function createIsolation(options: IsolationOptions): Isolation {
  const toUrl = (s: string): string => (s.startsWith('file:') ? s : pathToFileURL(s).href)
  let runtime: Launch | undefined
  let roots: string[] = []
  const started = (): Launch => {
    if (!runtime) {
      runtime = launch(
        toUrl(options.loader),
        Object.fromEntries(Object.entries(options.sharedModules ?? {}).map(([k, v]) => [k, toUrl(v)])),
      )
      roots = readableRoots(runtime.files)
    }
    return runtime
  }
  const sessions = new Set<Session>()
  const described = new Map<string, { mtimeMs: number; methods: Promise<string[]> }>()
  const env = options.env ?? process.env

  const openSession = (target: Omit<IsolationTarget, 'methods'>, pluginId: string, functions: HostFunctions): Session => {
    const mode = target.spec.mode
    if (mode === 'none') throw new TypeError(`${pluginId}: isolation "none" runs in-process; no isolate to open`)
    const run = started()
    const perms = permissionPlan(target.spec, target.dir, roots)
    const session = new Session(
      pluginId,
      {
        kind: mode,
        bootstrap: run.bootstrap,
        execArgv: [...perms.flags, '--no-warnings=ExperimentalWarning'],
        env: envFor(target.type, target.provider, env),
        ...(target.spec.memoryMb ? { memoryMb: target.spec.memoryMb } : {}),
      },
      functions,
    )
    sessions.add(session)
    void session.ended.then(() => sessions.delete(session))
    return session
  }

  const host: RunnerHost = {
    openSession: (t, id, fns) => openSession(t, id, fns),
    initTimeoutMs: options.initTimeoutMs ?? 30_000,
    startTimeoutMs: options.startTimeoutMs ?? options.initTimeoutMs ?? 30_000,
    cleanupTimeoutMs: options.cleanupTimeoutMs ?? 30_000,
    env: (t) => envFor(t.type, t.provider, env),
  }

  const describe = async (target: Omit<IsolationTarget, 'methods' | 'loader' | 'shared'>): Promise<string[]> => {
    const id = `${target.type}/${target.provider}`
    const { loader, shared } = started()
    const session = openSession({ ...target, loader, shared }, id, silentHost(id))
    try {
      return await session.call(
        'describe',
        [{ file: target.file, ...(target.exportName ? { exportName: target.exportName } : {}), loader, shared }],
        host.startTimeoutMs,
        'loading its entry module',
      )
    } catch (error) {
      throw new PluginInitError(
        `${id}: its entry module ${target.file} failed to load in the ${target.spec.mode}: ${describeError(error)}`,
        {
          pluginId: id,
          cause: error,
        },
      )
    } finally {
      await session.kill(new PluginCrashedError(`${id}: describe finished`, { pluginId: id }))
    }
  }

  return {
    describe(target) {
      const key = `${target.spec.mode}:${target.file}#${target.exportName ?? 'default'}`
      const mtimeMs = mtimeOf(target.file)
      const hit = described.get(key)
      if (hit && hit.mtimeMs === mtimeMs) return hit.methods
      const methods = describe(target)
      described.set(key, { mtimeMs, methods })
      methods.catch(() => described.delete(key))
      return methods
    },
    classFor: (target) => isolatedClass({ ...target, loader: started().loader, shared: started().shared }, host),
    running: () => [...sessions].filter((s) => !s.dead).map((s) => ({ kind: s.channel.kind, id: s.channel.id })),
    async dispose() {
      await Promise.all([...sessions].map((s) => s.kill(new PluginCrashedError('the plugin system was disposed while the plugin ran', {}))))
    },
  }
}

function silentHost(id: string): HostFunctions {
  const refuse = (): never => {
    throw new Error(`${id}: not available while the entry module is being described`)
  }
  return { log: () => {}, stateLoad: refuse, stateSave: refuse, stateDelete: refuse, depCall: refuse }
}

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs
  } catch {
    return -1
  }
}
