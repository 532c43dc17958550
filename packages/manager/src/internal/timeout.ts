import { PluginTimeoutError, type InitializeOptions, type PepperpyPlugin } from '@pepperpy/plugin'
import type { Deadlines } from '@pepperpy/plugin/spi'
import type { Done } from './scheduler.js'

const CONTROLLER = Symbol('controller')

/** The options given to `initialize()`, and the controller behind their signal once made. */
interface InitOptions extends InitializeOptions {
  readonly signal: AbortSignal
  [CONTROLLER]: AbortController | undefined
}

/**
 * Options whose AbortController is made only if the plugin reads `signal` (or on timeout): most
 * never do, and one per plugin was a measurable share of booting 1,000 plugins. `signal` is an own
 * enumerable getter, so `{ ...options }` keeps it.
 */
function initOptions(): InitOptions {
  return {
    [CONTROLLER]: undefined,
    get signal(): AbortSignal {
      return (this[CONTROLLER] ??= new AbortController()).signal
    },
  }
}

/** Aborts the signal of `options` (making it if nobody read it yet). */
function abort(options: InitOptions, reason: unknown): void {
  ;(options[CONTROLLER] ??= new AbortController()).abort(reason)
}

/**
 * `run` (a plugin's `cleanup()`), or a `PluginTimeoutError` when `ms` pass first; the cleanup
 * itself goes on in the background and a late failure of it is ignored.
 */
export function cleanupWithTimeout(run: Promise<void>, id: string, ms: number): Promise<void> {
  if (!Number.isFinite(ms)) return run
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const message = `plugin "${id}" did not finish cleanup() within ${ms} ms; the other plugins were cleaned up anyway. Raise cleanupTimeoutMs or make cleanup() faster.`
      reject(new PluginTimeoutError(message, ms, { pluginId: id }))
    }, ms)
    run.then(
      () => (clearTimeout(timer), resolve()),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    )
  })
}

/**
 * Starts `plugin.initialize({ signal })` and calls `done` once: when it settles, or with a
 * `PluginTimeoutError` (the signal aborted) when its deadline passes first (`deadlines`
 * undefined: no timeout). `onAbandon` receives the still-running call.
 */
export function initializeWithTimeout(
  plugin: PepperpyPlugin,
  id: string,
  deadlines: Deadlines | undefined,
  ms: number,
  onAbandon: (run: Promise<void>) => void,
  done: Done,
): void {
  const options = initOptions()
  let run: Promise<void>
  try {
    run = plugin.initialize(options)
  } catch (error) {
    done({ error }) // a decorated instance may throw instead of rejecting
    return
  }
  if (!deadlines) {
    run.then(
      () => done(),
      (error: unknown) => done({ error }),
    )
    return
  }
  const deadline = deadlines.add(() => {
    const error = new PluginTimeoutError(
      `plugin "${id}" did not finish initialize() within ${ms} ms; it was aborted (this.signal). ` +
        'Raise initTimeoutMs or make initialize() faster (and honour this.signal).',
      ms,
      { pluginId: id },
    )
    abort(options, error)
    onAbandon(run)
    done({ error })
  })
  // a late failure after the timeout is already reported
  run.then(
    () => deadline.cancel() && done(),
    (error: unknown) => deadline.cancel() && done({ error }),
  )
}
