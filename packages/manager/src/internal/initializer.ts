import { DependencyError, PepperpyError, PluginInitError, type Logger, type PepperpyPlugin } from '@pepperpy/plugin'
import type { ManagerEvent, ManagerEventName } from '../events.js'
import { isOrderingEdge } from '../graph.js'
import { Deadlines, messageOf } from '@pepperpy/plugin/spi'
import { dependentChain } from './dependency-chain.js'
import type { Node } from './node.js'
import type { NodeTable } from './node-table.js'
import { runGraph, type Done } from './scheduler.js'
import { initializeWithTimeout } from './timeout.js'

/** What an {@link Initializer} needs from its manager. */
export interface InitializerOptions {
  table: NodeTable
  logger: Logger
  timeoutMs: number
  concurrency: number
  emit: (name: ManagerEventName, event: ManagerEvent) => void
  /** `performance.now()` when one of `events` has a listener, else -1. */
  now: (...events: ManagerEventName[]) => number
}

/**
 * Initializes sets of held plugins: in graph order, each as soon as its own dependencies are done,
 * with one deadline timer for every `initialize()`, rollback in reverse order on the first failure,
 * and late finishers of timed-out calls cleaned up.
 */
export class Initializer {
  readonly #table: NodeTable
  readonly #logger: Logger
  readonly #timeoutMs: number
  readonly #concurrency: number
  readonly #emit: InitializerOptions['emit']
  readonly #now: InitializerOptions['now']
  /** One timer for every running `initialize()` (undefined: no timeout). */
  readonly #deadlines: Deadlines | undefined
  /** Instances whose timed-out `initialize()` is still running; cleaned up if it finishes late. */
  readonly #abandoned = new Set<PepperpyPlugin>()

  constructor(options: InitializerOptions) {
    this.#table = options.table
    this.#logger = options.logger
    this.#timeoutMs = options.timeoutMs
    this.#concurrency = options.concurrency
    this.#emit = options.emit
    this.#now = options.now
    this.#deadlines = Number.isFinite(options.timeoutMs) ? new Deadlines(options.timeoutMs) : undefined
  }

  /** True while `instance`'s timed-out `initialize()` is still running. */
  isAbandoned(instance: PepperpyPlugin): boolean {
    return this.#abandoned.has(instance)
  }

  /** Initializes `ids` (skipping initialized and skipped ones) in graph order; rolls back on failure. */
  async run(ids: string[], root: Node | undefined): Promise<void> {
    const pending = this.#table.order(ids).filter((id) => {
      const node = this.#table.nodes.get(id)
      return node?.instance && !node.instance.initialized && !node.skipped
    })
    if (pending.length === 0) return
    const inSet = new Set(pending)
    const tasks = pending.map((id) => {
      const after: string[] = []
      for (const e of this.#table.edgesNow(this.#table.nodes.get(id)!))
        if (e.to !== id && isOrderingEdge(e.type) && inSet.has(e.to)) after.push(e.to)
      return { id, after }
    })
    const result = await runGraph(tasks, (id, done) => this.#initializeOne(id, done), this.#concurrency)
    if (!result.failed) return
    for (const id of [...result.completed].reverse()) {
      try {
        await this.#table.nodes.get(id)?.instance?.cleanup()
      } catch (error) {
        this.#logger.error(`rollback: cleanup of ${id} failed`, error)
      }
    }
    const { id, error } = result.failed
    const chain = dependentChain(
      id,
      inSet,
      (x) => this.#table.edgesOfId(x),
      root ? { key: root.key, edges: this.#table.edgesNow(root) } : undefined,
    )
    if (chain.length > 1)
      throw new DependencyError(`${chain.join(' -> ')}: ${messageOf(error)}`, { cause: error, chain, pluginId: chain[0]! })
    if (PepperpyError.is(error)) throw error
    throw new PluginInitError(`plugin "${id}": initialize() failed: ${messageOf(error)}`, { cause: error, pluginId: id })
  }

  #initializeOne(id: string, done: Done): void {
    const instance = this.#table.nodes.get(id)!.instance!
    this.#abandoned.delete(instance) // this call owns it now (it may join a still-running earlier call)
    const t0 = this.#now('initialized', 'failed')
    const onAbandon = (late: Promise<void>): void => {
      this.#abandoned.add(instance)
      late.then(
        () => this.#lateSuccess(id, instance),
        () => this.#abandoned.delete(instance),
      )
    }
    initializeWithTimeout(instance, id, this.#deadlines, this.#timeoutMs, onAbandon, (failure) => {
      if (t0 >= 0) {
        const durationMs = performance.now() - t0
        if (failure) this.#emit('failed', { pluginId: id, durationMs, error: failure.error as Error })
        else this.#emit('initialized', { pluginId: id, durationMs })
      }
      done(failure)
    })
  }

  /** A timed-out `initialize()` finished after all: the call that started it failed, so undo it. */
  #lateSuccess(id: string, instance: PepperpyPlugin): void {
    if (!this.#abandoned.delete(instance)) return
    this.#logger.warn(`${id}: initialize() finished after its timeout; cleaning it up`)
    instance.cleanup().catch((error: unknown) => this.#logger.error(`cleanup of ${id} after its late initialize() failed`, error))
  }
}
