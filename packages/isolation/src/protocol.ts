import type { StoredState } from '@pepperpy/plugin'
import { fromWire, toWire } from './wire.js'

/** A dependency of the isolated plugin, as the worker sees it: its id and callable methods. */
export interface RemoteDependency {
  /** `type/provider`. */
  pluginId: string
  methods: string[]
  config: Record<string, unknown>
}

/** What the host sends to start the plugin inside the isolate. */
export interface StartRequest {
  file: string
  exportName?: string
  /** Module specifier (file URL) of a module exporting `createModuleLoader` (the registry's). */
  loader: string
  /** Modules shared with plugin code by specifier: name -> file URL to import inside the isolate. */
  shared: Record<string, string>
  type: string
  provider: string
  config: Record<string, unknown>
  sources: Record<string, string>
  /** The environment variables of this plugin's own keys (`PEPPERPY_<TYPE>__...`, `<PROVIDER>_API_KEY`). */
  env: Record<string, string>
  /** Dependencies by lookup key (`type` and `type/provider`). */
  deps: Record<string, RemoteDependency>
  stateStore: boolean
}

/** What the isolate answers once the plugin is constructed. */
export interface StartReply {
  methods: string[]
  config: Record<string, unknown>
}

/** Functions the isolate serves. */
export interface IsolateFunctions {
  /** Loads the entry module and lists the class's methods (nothing is constructed). */
  describe(request: Pick<StartRequest, 'file' | 'exportName' | 'loader' | 'shared'>): Promise<string[]>
  start(request: StartRequest): Promise<StartReply>
  initialize(): Promise<void>
  cleanup(): Promise<void>
  call(method: string, args: unknown[]): Promise<unknown>
}

/** Functions the host serves to the isolate. */
export interface HostFunctions {
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, args: unknown[]): void
  stateLoad(key: string): Promise<StoredState | undefined>
  stateSave(key: string, state: StoredState): Promise<void>
  stateDelete(key: string): Promise<void>
  depCall(key: string, method: string, args: unknown[]): Promise<unknown>
}

/** birpc `serialize`: errors travel as plain objects (name, code, cause kept). */
export function serialize(message: unknown): unknown {
  const m = message as { e?: unknown }
  return m && m.e !== undefined ? { ...m, e: toWire(m.e) } : message
}

/** birpc `deserialize`: the inverse of {@link serialize}. */
export function deserialize(message: unknown): unknown {
  const m = message as { e?: unknown }
  return m && m.e !== undefined ? { ...m, e: fromWire(m.e) } : message
}

/**
 * birpc `onGeneralError`: an answer that cannot be posted (a result that cannot be cloned) is
 * answered with that error instead (true); a failure to post one's own call still throws to the caller.
 */
export function answered(_error: Error, functionName?: string): boolean {
  return functionName !== undefined
}
