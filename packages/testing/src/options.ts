import type { PepperpyPlugin, PluginClass } from '@pepperpy/plugin'
import type { PluginSystemOptions } from '@pepperpy/plugins'

/**
 * Options of {@link createTestSystem}: those of `createPluginSystem` (except the logger, which
 * captures, and the default roots, which are off), plus `plugins` and `mocks`.
 */
export interface TestSystemOptions
  extends Omit<PluginSystemOptions, 'logger' | 'defaultPaths' | 'stateDir' | 'env' | 'paths' | 'stateStore'> {
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
  /** @default a new MemoryStateStore */
  stateStore?: PluginSystemOptions['stateStore']
}
