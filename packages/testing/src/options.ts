import type { PepperpyPlugin, PluginClass, StateStore } from '@pepperpy/plugin'

/** Options of {@link createTestSystem}. */
export interface TestSystemOptions {
  /** Plugin classes to register, by `'type/provider'`. */
  plugins?: Record<string, PluginClass>
  /**
   * Implementations that satisfy dependencies, by `'type/provider'`: a plain object (it becomes a
   * plugin whose methods are the object's, calls recorded) or a plugin (e.g. from `mockPlugin`).
   */
  mocks?: Record<string, object | PepperpyPlugin>
  /** The environment plugins read config from. @default {} (not process.env) */
  env?: Record<string, string | undefined>
  /** Plugin roots to discover. @default none (no ~/.pepperpy/plugins, ./plugins or plugin packages) */
  paths?: string[]
  /** Working directory for relative `paths`. @default process.cwd() */
  cwd?: string
  /** @default a new MemoryStateStore */
  stateStore?: StateStore
  /** Per-plugin `initialize()` limit. @default 30000 */
  initTimeoutMs?: number
  /** Per-plugin `cleanup()` limit; a cleanup still running past it is reported as a leak. @default 30000 */
  cleanupTimeoutMs?: number
}
