import { DependencyError, describeError, type Logger, PepperpyError, PluginInitError } from '@pepperpy/plugin'
import type { ManagerEvent, ManagerEventName } from '../events.js'
import { isOrderingEdge } from '../graph.js'
import { dependentChain } from './dependency-chain.js'
import type { Node } from './node.js'
import type { NodeTable } from './node-table.js'
import { runGraph, type Done } from './scheduler.js'

/** What an {@link Initializer} needs from its manager. */
export interface InitializerOptions {
  table: NodeTable
  logger: Logger
  concurrency: number
  emit: (name: ManagerEventName, event: ManagerEvent) => void
  /** `performance.now()` when one of `events` has a listener, else -1. */
  now: (...events: ManagerEventName[]) => number
}

/**
 * Initializes sets of held plugins: in graph order, each as soon as its own dependencies are done,
 * rolling back in reverse order on the first failure. Timeouts and overlapping calls are the
 * plugins' own lifecycle's (the contract's `initialize()` applies the limits in their context).
 * A run stops starting plugins once `cancel()` is called (by `cleanup()`): nothing is initialized
 * on top of plugins being cleaned up.
 */
export class Initializer {
  readonly #table: NodeTable
  readonly #logger: Logger
  readonly #concurrency: number
  readonly #emit: InitializerOptions['emit']
  readonly #now: InitializerOptions['now']
  /** Bumped by `cancel()`; a run started under an older epoch starts nothing more. */
  #epoch = 0

  constructor(options: InitializerOptions) {
    this.#table = options.table
    this.#logger = options.logger
    this.#concurrency = options.concurrency
    this.#emit = options.emit
    this.#now = options.now
  }

  /** Stops every run in progress from starting more plugins (each then fails and rolls back). */
  cancel(): void {
    this.#epoch++
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
    const epoch = this.#epoch
    const result = await runGraph(tasks, (id, done) => this.#initializeOne(id, epoch, done), this.#concurrency)
    if (!result.failed) return
    for (const id of [...result.completed].reverse()) {
      try {
        await this.#table.nodes.get(id)?.instance?.cleanup()
      } catch (error) {
        this.#logger.error(`rollback: cleanup of ${id} failed`, error)
      }
    }
    const { id, error } = result.failed
    const thrown = causeOf(id, error)
    const chain = dependentChain(
      id,
      inSet,
      (x) => this.#table.edgesOfId(x),
      root ? { key: root.key, edges: this.#table.edgesNow(root) } : undefined,
    )
    if (chain.length > 1)
      throw new DependencyError(`${chain.join(' -> ')}: ${describeError(thrown)}`, { cause: thrown, chain, pluginId: chain[0]! })
    if (PepperpyError.is(error)) throw error
    throw new PluginInitError(`plugin "${id}": initialize() failed: ${describeError(error)}`, { cause: error, pluginId: id })
  }

  #initializeOne(id: string, epoch: number, done: Done): void {
    const instance = this.#table.nodes.get(id)!.instance!
    if (epoch !== this.#epoch) {
      done({
        error: new PepperpyError(`plugin "${id}": not initialized: cleanup() began while the plugins were initializing`, { pluginId: id }),
      })
      return
    }
    const t0 = this.#now('initialized', 'failed')
    const report = (failure?: { error: unknown }): void => {
      if (t0 >= 0) {
        const durationMs = performance.now() - t0
        if (failure) this.#emit('failed', { pluginId: id, durationMs, error: causeOf(id, failure.error) as Error })
        else this.#emit('initialized', { pluginId: id, durationMs })
      }
      done(failure)
    }
    let run: Promise<void>
    try {
      run = instance.initialize()
    } catch (error) {
      report({ error }) // a decorated instance may throw instead of rejecting
      return
    }
    run.then(
      () => report(),
      (error: unknown) => report({ error }),
    )
  }
}

/** What the plugin itself threw: the cause of the PluginInitError its lifecycle wrapped it in. */
function causeOf(id: string, error: unknown): unknown {
  return error instanceof PluginInitError && error.pluginId === id && error.cause !== undefined ? error.cause : error
}
