import type { PluginState } from '@pepperpy/plugin'

export type { PluginState } from '@pepperpy/plugin'

/** One plugin in a {@link HealthReport}. */
export interface PluginHealth {
  id: string
  state: PluginState
  /** Why it failed, or why it was skipped (which dependency failed). */
  error?: string
  /** How long its last `initialize()` took (or has been running, while `initializing`), in ms. */
  initMs?: number
}

/** What `manager.health()` returns: `degraded` once a plugin failed or was skipped. */
export interface HealthReport {
  status: 'ok' | 'degraded'
  plugins: PluginHealth[]
}

/** One plugin in a {@link BootReport}. */
export interface BootReportPlugin extends PluginHealth {
  /** When its `initialize()` started, in ms after the boot's first one. */
  startMs?: number
  /** The held plugins it waits for (ordering dependencies), by id. */
  dependencies: string[]
}

/** What `manager.bootReport()` returns: every held plugin's timings, in initialization order. */
export interface BootReport {
  /** From the first `initialize()` start to the last end (or to now, while one still runs), in ms. */
  totalMs: number
  plugins: BootReportPlugin[]
}
