import { afterAll, afterEach } from 'vitest'
import type { Logger, PepperpyPlugin, StateStore, StoredState } from '@pepperpy/plugin'
import type { Isolation } from '../isolation.js'
import { capturingLogger, isolated, newIsolation, pluginDir } from './fixtures.js'
import { PROBE_PLUGIN } from './probe-plugin.js'

/** A probe instance's methods, all async. */
export type Probe = PepperpyPlugin &
  Record<
    | 'echo'
    | 'where'
    | 'greet'
    | 'bump'
    | 'loop'
    | 'exit'
    | 'crashLater'
    | 'rejectLater'
    | 'oom'
    | 'hang'
    | 'fail'
    | 'read'
    | 'write'
    | 'spawnWorker'
    | 'spawnChild'
    | 'uncloneable'
    | 'callDep'
    | 'depInfo'
    | 'log',
    // biome-ignore lint/suspicious/noExplicitAny: test probe results are checked by value
    (...a: any[]) => Promise<any>
  >

/** A state store that reports each save (so tests wait for the event, not for time). */
export class ObservedStore implements StateStore {
  readonly data: Map<string, StoredState> = new Map()
  #waiters: Array<(s: StoredState) => void> = []
  async load(key: string): Promise<StoredState | undefined> {
    return this.data.get(key)
  }
  async save(key: string, state: StoredState): Promise<void> {
    this.data.set(key, structuredClone(state))
    for (const w of this.#waiters.splice(0)) w(state)
  }
  async delete(key: string): Promise<void> {
    this.data.delete(key)
  }
  /** Resolves with the next saved state. */
  nextSave(): Promise<StoredState> {
    return new Promise((resolve) => this.#waiters.push(resolve))
  }
}

export interface ProbeHarness {
  folder: { dir: string; file: string; remove(): void }
  isolation: Isolation
  probe(
    manifest?: Record<string, unknown>,
    o?: { config?: Record<string, unknown>; store?: StateStore; logger?: Logger; provider?: string },
  ): Promise<Probe>
}

/** One probe plugin folder and one Isolation per test file; every isolate is gone after each test. */
export function probeHarness(opts: { initTimeoutMs?: number; startTimeoutMs?: number } = {}): ProbeHarness {
  const folder = pluginDir(PROBE_PLUGIN)
  const isolation: Isolation = newIsolation(opts)
  const made: PepperpyPlugin[] = []
  afterEach(async () => {
    await Promise.allSettled(made.splice(0).map((p) => p.cleanup()))
    await isolation.dispose()
  })
  afterAll(() => folder.remove())
  return {
    folder,
    isolation,
    async probe(manifest = {}, o = {}) {
      const p = await isolated(isolation, {
        ...folder,
        manifest,
        ...(o.config ? { config: o.config } : {}),
        ...(o.provider ? { provider: o.provider } : {}),
        logger: o.logger ?? capturingLogger(),
        context: { stateStore: o.store ?? new ObservedStore() },
      })
      made.push(p)
      return p as Probe
    },
  }
}

/** True while a process with `pid` exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
