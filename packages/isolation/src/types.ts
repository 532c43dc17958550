import type { DependencySpec } from '@pepperpy/plugin'
import type { HostFunctions } from './protocol.js'
import type { Session } from './session.js'
import type { IsolationSpec } from './spec.js'

/** One plugin to run isolated: where its code is and how it runs. */
export interface IsolationTarget {
  type: string
  provider: string
  /** The plugin folder (always readable). */
  dir: string
  /** The entry module. */
  file: string
  /** The export holding the class. @default 'default' */
  exportName?: string
  spec: IsolationSpec
  dependencies: DependencySpec[]
  /** Method names of the class (from `Isolation.describe`). */
  methods: string[]
  /** Filled in by `createIsolation`. */
  loader: string
  shared: Record<string, string>
}

/** What a Runner needs from its Isolation: how to start an isolate and the system's limits. */
export interface RunnerHost {
  openSession(target: IsolationTarget, pluginId: string, functions: HostFunctions): Session
  initTimeoutMs: number
  startTimeoutMs: number
  cleanupTimeoutMs: number
  env(target: IsolationTarget): Record<string, string>
}

/** What the host-side instance needs from the object running its isolate. */
export interface IsolatedRunner {
  readonly config: Readonly<Record<string, unknown>> | undefined
  initialize(signal?: AbortSignal): Promise<void>
  cleanup(): Promise<void>
  call(method: string, args: unknown[]): Promise<unknown>
}
