/**
 * Over 300 lines on purpose: the whole state machine (steps, limits, abandonment, hooks) stays in
 * one file so every transition can be read in one place.
 *
 * The lifecycle of one plugin instance, as one state machine that every path uses. States: idle -> initializing -> initialized -> cleaning -> idle. Calls are steps in a
 * per-instance queue: a call of the kind already last in the queue shares that step, a call of the
 * other kind runs after it, so the plugin ends in the state the last call asked for and its own
 * `initialize()`/`cleanup()` never overlap. `cleanup()` during `initialize()` aborts the run's
 * signal first. Each step is bounded by the limits in the plugin's context; a timed-out
 * `initialize()` is abandoned (cleaned up if it ever finishes) and a timed-out `cleanup()` is not
 * attempted again. No `initialize()` starts once the owning system's `closed` signal is aborted.
 */
import { channels, channelTracer, type LifecycleChannelContext } from '../channels.js'
import { describeError, PepperpyError, PluginInitError, PluginTimeoutError } from '../errors.js'
import type { InitializeOptions, LifecycleHook, LifecycleHookName } from '../lifecycle.js'
import { bindConfig } from './bind-config.js'
import { deadlinesFor, withLimit } from './limits.js'
import { type Internal, internal, type LifecycleStep } from './state.js'

const DONE: Promise<void> = Promise.resolve()
const initializing = channelTracer(channels.initialize)
const cleaning = channelTracer(channels.cleanup)

/** The `initialize` every instance gets: idempotent, single-flight, bounded, runs hooks, manages the flag. */
export function runInitialize(this: object, options?: InitializeOptions): Promise<void> {
  const s = internal(this)
  const last = s.last
  if (last) {
    if (last.kind === 'initialize') return last.promise
  } else if (s.initialized && !s.abandoned) return DONE
  const refused = refusal(s)
  if (refused) return Promise.reject(refused)
  // traced on pepperpy:initialize when someone listens and the step has something to do
  return enqueue(s, 'initialize', () =>
    initializing.active && !s.initialized
      ? initializing.tracePromise(traceContext(s), () => initializeStep(this, s, options))
      : initializeStep(this, s, options),
  )
}

/** The `cleanup` every instance gets: bounded, attempts every hook, reports all failures, idempotent. */
export function runCleanup(this: object): Promise<void> {
  const s = internal(this)
  const last = s.last
  if (last?.kind === 'cleanup') return last.promise
  if (last && s.phase === 'initializing') {
    const id = idOf(s)
    abortRun(s, new PepperpyError(`plugin "${id}": cleanup() was called during initialize()`, { pluginId: id }))
    // the aborted run gets at most cleanupTimeoutMs to settle, then it is abandoned
    const limit = s.context.lifecycle?.cleanupTimeoutMs
    if (limit !== undefined && Number.isFinite(limit)) {
      const deadline = deadlinesFor(limit).add(() =>
        s.cancelRun?.(
          new PluginTimeoutError(`plugin "${id}": initialize() did not settle within ${limit} ms after cleanup() aborted it`, limit, {
            pluginId: id,
          }),
        ),
      )
      const stop = (): void => void deadline.cancel()
      last.promise.then(stop, stop)
    }
  }
  // traced on pepperpy:cleanup when someone listens and the plugin is initialized (a failed or never-run one has nothing to clean)
  return enqueue(s, 'cleanup', () =>
    cleaning.active && s.initialized ? cleaning.tracePromise(traceContext(s), () => cleanupStep(this, s)) : cleanupStep(this, s),
  )
}

/** Queues a step of `kind` after the last one (or runs it now when none is queued). */
function enqueue(s: Internal, kind: LifecycleStep['kind'], run: () => Promise<void>): Promise<void> {
  const prev = s.last
  const step: LifecycleStep = { kind, promise: prev ? prev.promise.then(run, run) : run() }
  s.last = step
  const clear = (): void => {
    if (s.last === step) s.last = undefined
  }
  step.promise.then(clear, clear)
  return step.promise
}

async function initializeStep(plugin: object, s: Internal, options: InitializeOptions | undefined): Promise<void> {
  if (s.initialized) return
  const refused = refusal(s)
  if (refused) throw refused
  const limit = s.context.lifecycle?.initTimeoutMs
  s.phase = 'initializing'
  try {
    const earlier = s.abandoned ?? s.abandonedCleanup
    if (earlier) {
      // a timed-out earlier run is still going: this call waits for it (within its own limit, and a
      // cleanup() called meanwhile can give up on the wait)
      await cancellable(
        s,
        withLimit(earlier, limit, () => initTimeout(s, limit!, 'an earlier timed-out run is still going')),
      )
      if (s.initialized && !s.abandonedCleanup) return
    }
    if (s.last?.kind === 'cleanup') {
      const id = idOf(s)
      throw new PepperpyError(`plugin "${id}": initialize() was cancelled by a cleanup() called while it waited`, { pluginId: id })
    }
    s.caller = options?.signal
    s.abort = undefined
    s.initOptions = runOptions(s)
    await settleOrAbandon(plugin, s, initializeOnce(plugin, s), limit)
  } catch (error) {
    throw PepperpyError.is(error) ? error : initFailure(s, error)
  } finally {
    s.phase = s.initialized ? 'initialized' : 'idle'
  }
}

async function initializeOnce(plugin: object, s: Internal): Promise<void> {
  let opened = false
  try {
    if (!s.bound) bindConfig(plugin, s)
    const before = hooksOf(s, 'beforeInitialize')
    const running = before && runHooks(plugin, before)
    if (running) await running
    await implOf(plugin, 'initialize').call(plugin, s.initOptions)
    opened = true
    s.initialized = true
    const after = hooksOf(s, 'afterInitialize')
    const finishing = after && runHooks(plugin, after)
    if (finishing) await finishing
  } catch (error) {
    s.initialized = false
    if (opened) {
      // the plugin's own initialize() succeeded and a hook after it failed: undo what the plugin opened
      const closing = (async () => {
        const before = hooksOf(s, 'beforeCleanup')
        const running = before && runHooks(plugin, before, [])
        if (running) await running
        await implOf(plugin, 'cleanup').call(plugin)
      })()
      await withLimit(closing, s.context.lifecycle?.cleanupTimeoutMs, () => undefined).catch(() => {})
    }
    const undo = hooksOf(s, 'afterCleanup')
    const undoing = undo && runHooks(plugin, undo, [])
    if (undoing) await undoing
    throw error
  } finally {
    s.initOptions = undefined
    s.abort = undefined
    s.caller = undefined
  }
}

/**
 * Waits for `run` unless its limit passes, its caller aborts, or `cleanup()` gives up on it first:
 * then the run is abandoned (its signal aborted; cleaned up if it ever finishes) and callers are
 * rejected right away.
 */
function settleOrAbandon(plugin: object, s: Internal, run: Promise<void>, limit: number | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let open = true
    const caller = s.caller
    const close = (): void => {
      open = false
      deadline?.cancel()
      s.cancelRun = undefined
      caller?.removeEventListener('abort', onCallerAbort)
    }
    const giveUp = (error: unknown): void => {
      if (!open) return
      close()
      abandon(plugin, s, run, error)
      reject(error)
    }
    const onCallerAbort = (): void => giveUp(caller?.reason)
    const deadline =
      limit !== undefined && Number.isFinite(limit)
        ? deadlinesFor(limit).add(() => giveUp(initTimeout(s, limit, 'it was aborted (this.signal)')))
        : undefined
    s.cancelRun = giveUp
    if (caller?.aborted) onCallerAbort()
    else caller?.addEventListener('abort', onCallerAbort, { once: true })
    run.then(
      () => {
        if (!open) return
        close()
        resolve()
      },
      (error: unknown) => {
        if (!open) return
        close()
        reject(error)
      },
    )
  })
}

/** `wait`, or a rejection as soon as `cleanup()` gives up on this step (through `s.cancelRun`). */
function cancellable(s: Internal, wait: Promise<void>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let open = true
    s.cancelRun = (reason) => {
      if (!open) return
      open = false
      s.cancelRun = undefined
      reject(reason)
    }
    wait.then(
      () => {
        if (!open) return
        open = false
        s.cancelRun = undefined
        resolve()
      },
      (error: unknown) => {
        if (!open) return
        open = false
        s.cancelRun = undefined
        reject(error)
      },
    )
  })
}

/** Abandons a running `initialize()`: aborts its signal; if it finishes anyway, it is cleaned up (unless a newer call waits for it). */
function abandon(plugin: object, s: Internal, run: Promise<void>, reason: unknown): void {
  abortRun(s, reason)
  s.abandoned = run.then(
    () => {
      s.abandoned = undefined
      if (s.last?.kind === 'initialize') return // a newer initialize() waited for this run: it stands
      s.parentLogger.warn(`${idOf(s)}: initialize() finished after it was abandoned; cleaning it up`)
      enqueue(s, 'cleanup', () => cleanupStep(plugin, s)).catch((e: unknown) =>
        s.parentLogger.error(`${idOf(s)}: cleanup after a late initialize() failed`, e),
      )
    },
    () => {
      s.abandoned = undefined
    },
  )
}

async function cleanupStep(plugin: object, s: Internal): Promise<void> {
  s.phase = 'cleaning'
  if (s.abandoned) s.parentLogger.warn(`${idOf(s)}: initialize() timed out and is still running; it is cleaned up if it ever finishes`)
  const limit = s.context.lifecycle?.cleanupTimeoutMs
  const progress = { afterHooks: false }
  const run = cleanupOnce(plugin, s, progress)
  try {
    await withLimit(run, limit, () => {
      // still running: a later initialize() waits for it, so the plugin's own steps never overlap
      s.abandonedCleanup = run.then(
        () => {
          s.abandonedCleanup = undefined
        },
        () => {
          s.abandonedCleanup = undefined
        },
      )
      return cleanupTimeout(s, limit!)
    })
  } catch (error) {
    if (error instanceof PluginTimeoutError && error.pluginId === idOf(s) && !progress.afterHooks) {
      // the plugin's own cleanup hangs: still release what extensions hold for it, once, within the limit
      s.initialized = false
      progress.afterHooks = true
      const after = hooksOf(s, 'afterCleanup')
      const releasing = after && runHooks(plugin, after, [])
      if (releasing) await withLimit(releasing, limit, () => undefined).catch(() => {})
    }
    throw error
  } finally {
    s.phase = s.initialized ? 'initialized' : 'idle'
  }
}

async function cleanupOnce(plugin: object, s: Internal, progress: { afterHooks: boolean }): Promise<void> {
  const errors: unknown[] = []
  if (s.initialized) {
    const before = hooksOf(s, 'beforeCleanup')
    const running = before && runHooks(plugin, before, errors)
    if (running) await running
    try {
      await implOf(plugin, 'cleanup').call(plugin)
    } catch (error) {
      errors.push(error)
    }
  }
  s.initialized = false
  if (progress.afterHooks) return // timed out meanwhile: the hooks already ran
  progress.afterHooks = true
  const after = hooksOf(s, 'afterCleanup')
  const finishing = after && runHooks(plugin, after, errors)
  if (finishing) await finishing
  if (errors.length === 1) throw errors[0]
  if (errors.length > 1)
    throw new AggregateError(
      errors,
      `cleanup of plugin "${idOf(s)}" failed ${errors.length} times: ${errors.map((e) => describeError(e)).join('; ')}`,
    )
}

/** Why no `initialize()` may start now, if one may not. */
function refusal(s: Internal): PluginInitError | undefined {
  const closed = s.context.lifecycle?.closed
  if (!closed?.aborted) return undefined
  const id = idOf(s)
  return new PluginInitError(`plugin "${id}": initialize() refused: its plugin system is being disposed`, {
    pluginId: id,
    cause: closed.reason,
  })
}

function initFailure(s: Internal, error: unknown): PluginInitError {
  const id = idOf(s)
  return new PluginInitError(`plugin "${id}": initialize() failed: ${describeError(error)}`, { cause: error, pluginId: id })
}

function initTimeout(s: Internal, ms: number, what: string): PluginTimeoutError {
  const id = idOf(s)
  return new PluginTimeoutError(
    `plugin "${id}" did not finish initialize() within ${ms} ms; ${what}. ` +
      'Raise initTimeoutMs or make initialize() faster (and honour this.signal).',
    ms,
    { pluginId: id },
  )
}

function cleanupTimeout(s: Internal, ms: number): PluginTimeoutError {
  const id = idOf(s)
  return new PluginTimeoutError(
    `plugin "${id}" did not finish cleanup() within ${ms} ms; the other plugins were cleaned up anyway. ` +
      'Raise cleanupTimeoutMs or make cleanup() faster.',
    ms,
    { pluginId: id },
  )
}

/** The options handed to the plugin's `initialize()`: `signal` (made on first read) follows the caller's and the runner's aborts. */
function runOptions(s: Internal): InitializeOptions {
  return {
    get signal(): AbortSignal {
      return controllerOf(s).signal
    },
  }
}

function controllerOf(s: Internal): AbortController {
  if (s.abort) return s.abort
  const controller = new AbortController()
  s.abort = controller
  const caller = s.caller
  if (caller?.aborted) controller.abort(caller.reason)
  else caller?.addEventListener('abort', () => controller.abort(caller.reason), { once: true })
  return controller
}

function abortRun(s: Internal, reason: unknown): void {
  if (s.phase !== 'initializing') return
  const controller = controllerOf(s)
  if (!controller.signal.aborted) controller.abort(reason)
}

function traceContext(s: Internal): LifecycleChannelContext {
  return { pluginId: idOf(s), type: s.type, provider: s.provider }
}

function idOf(s: Internal): string {
  return `${s.type}/${s.provider}`
}

function implOf(plugin: object, name: 'initialize' | 'cleanup'): (this: object, o?: InitializeOptions) => Promise<void> {
  return Object.getPrototypeOf(plugin)[name]
}

/** The hooks to run for `name` (a copy: a hook may remove itself), or undefined when there are none. */
function hooksOf(s: Internal, name: LifecycleHookName): LifecycleHook[] | undefined {
  const list = s.hooks?.[name]
  return list && list.length > 0 ? [...list] : undefined
}

/**
 * Runs `hooks` in order; returns a promise only when one of them does (the rest run after it), so
 * synchronous hooks cost no suspension. With `errors`, failures are collected and the rest still run.
 */
function runHooks(plugin: object, hooks: readonly LifecycleHook[], errors?: unknown[]): Promise<void> | undefined {
  for (let i = 0; i < hooks.length; i++) {
    let result: void | Promise<void>
    try {
      result = hooks[i]!(plugin)
    } catch (error) {
      if (!errors) throw error
      errors.push(error)
      continue
    }
    if (result) return finishHooks(plugin, hooks, i, result, errors)
  }
  return undefined
}

async function finishHooks(
  plugin: object,
  hooks: readonly LifecycleHook[],
  at: number,
  pending: Promise<void>,
  errors?: unknown[],
): Promise<void> {
  try {
    await pending
  } catch (error) {
    if (!errors) throw error
    errors.push(error)
  }
  const rest = runHooks(plugin, hooks.slice(at + 1), errors)
  if (rest) await rest
}
