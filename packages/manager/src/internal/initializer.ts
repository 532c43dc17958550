import { DependencyError, describeError, type Logger, PepperpyError, PluginInitError } from '@pepperpy/plugin'
import type { ManagerEvent, ManagerEventName } from '../events.js'
import { isOrderingEdge } from '../graph.js'
import { dependentChain } from './dependency-chain.js'
import type { Health } from './health.js'
import type { Node } from './node.js'
import type { NodeTable } from './node-table.js'
import { runGraph, type Done } from './scheduler.js'
import { cleanNode, isReady, upDependentOf } from './liveness.js'

/** What an {@link Initializer} needs from its manager. */
export interface InitializerOptions {
  table: NodeTable
  logger: Logger
  concurrency: number
  emit: (name: ManagerEventName, event: ManagerEvent) => void
  /** `performance.now()` when one of `events` has a listener, else -1. */
  now: (...events: ManagerEventName[]) => number
  /** Timings, failures and the boot-failure policy (see internal/health.ts). */
  health: Health
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
  readonly #health: Health
  /** Bumped by `cancel()`; a run started under an older epoch starts nothing more. */
  #epoch = 0

  constructor(options: InitializerOptions) {
    this.#table = options.table
    this.#logger = options.logger
    this.#concurrency = options.concurrency
    this.#emit = options.emit
    this.#now = options.now
    this.#health = options.health
  }

  /** Stops every run in progress from starting more plugins (each then fails and rolls back). */
  /** The current epoch: pass it to `run` from before any await, so a `cancel()` during linking counts. */
  get epoch(): number {
    return this.#epoch
  }

  cancel(): void {
    this.#epoch++
  }

  /**
   * Initializes `ids` (skipping initialized and skipped ones) in graph order; rolls back on failure.
   * A boot (no `root`: `manager.initialize()`) goes on past a plugin whose boot-failure policy is
   * `continue`: it is marked failed and what requires it is skipped.
   */
  async run(ids: string[], root: Node | undefined, epoch: number = this.#epoch): Promise<void> {
    // a plugin being cleaned up (or about to be) counts as down: its initialize() runs after that cleanup
    const pending = this.#table.order(ids).filter((id) => {
      const node = this.#table.nodes.get(id)
      return node?.instance && !isReady(node) && !node.skipped
    })
    if (pending.length === 0) return
    const inSet = new Set(pending)
    const tasks = pending.map((id) => {
      const after: string[] = []
      for (const e of this.#table.edgesNow(this.#table.nodes.get(id)!))
        if (e.to !== id && isOrderingEdge(e.type) && inSet.has(e.to)) after.push(e.to)
      return { id, after }
    })
    const boot = root === undefined
    const result = await runGraph(tasks, (id, done) => this.#initializeOne(id, epoch, boot, done), this.#concurrency)
    this.#health.idle()
    if (!result.failed) return
    const upDependent = upDependentOf(this.#table)
    // the root's own initialize() waits for this run, so it does not count as standing on what it
    // brought up; a root the manager does not hold (createProviderInstance) shares its key with the
    // held instance of the same plugin, which does count
    const rootKey = root && this.#table.nodes.get(root.key) === root ? root.key : undefined
    for (const id of [...result.completed].reverse()) {
      const by = upDependent(id, (d) => d !== rootKey)
      if (by) {
        // another call brought a dependent up on it meanwhile: rolling it back would pull the ground from under that one
        this.#logger.debug(`rollback: ${id} stays initialized: ${by}, which depends on it, is initialized`)
        continue
      }
      const node = this.#table.nodes.get(id)
      const instance = node?.instance
      if (!instance) continue
      try {
        await cleanNode(node, () => instance.cleanup())
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

  #initializeOne(id: string, epoch: number, boot: boolean, done: Done): void {
    const node = this.#table.nodes.get(id)!
    const instance = node.instance!
    if (epoch !== this.#epoch) {
      done({
        error: new PepperpyError(`plugin "${id}": not initialized: cleanup() began while the plugins were initializing`, { pluginId: id }),
      })
      return
    }
    if (boot && this.#skipped(node)) return done()
    this.#health.starting(id)
    const t0 = this.#now('initialized', 'failed')
    const report = (failure?: { error: unknown }): void => {
      this.#health.settled(id, failure && causeOf(id, failure.error))
      if (t0 >= 0) {
        const durationMs = performance.now() - t0
        if (failure) this.#emit('failed', { pluginId: id, durationMs, error: causeOf(id, failure.error) as Error })
        else this.#emit('initialized', { pluginId: id, durationMs })
      }
      if (failure && boot && this.#health.policyOf(id, node.resolved?.bootFailure) === 'continue') {
        const why = describeError(causeOf(id, failure.error))
        this.#logger.error(
          `plugin "${id}" failed to initialize (${why}); the boot goes on without it (bootFailure: continue)`,
          failure.error,
        )
        return done()
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
  /** True (and `node` marked skipped) when a required dependency of `node` failed or was skipped in this boot. */
  #skipped(node: Node): boolean {
    for (const edge of this.#table.edgesNow(node)) {
      if (edge.type !== 'required' || edge.to === node.key) continue
      const down = this.#health.down(edge.to, this.#table.nodes.get(edge.to)?.instance)
      if (!down) continue
      const reason = `requires ${edge.to}, which ${down === 'failed' ? 'failed to initialize' : 'was skipped'}`
      this.#health.skipped(node.key, reason)
      this.#logger.warn(`plugin "${node.key}" is not initialized: it ${reason}`)
      return true
    }
    return false
  }
}

/** What the plugin itself threw: the cause of the PluginInitError its lifecycle wrapped it in. */
function causeOf(id: string, error: unknown): unknown {
  return error instanceof PluginInitError && error.pluginId === id && error.cause !== undefined ? error.cause : error
}
