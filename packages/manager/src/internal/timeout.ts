import { PluginTimeoutError, type PepperpyPlugin } from '@pepperpy/plugin'

/**
 * Runs `plugin.initialize({ signal })`, aborting the signal and rejecting with a
 * `PluginTimeoutError` when `ms` passes first. `onAbandon` receives the still-running call.
 */
export async function initializeWithTimeout(
  plugin: PepperpyPlugin,
  id: string,
  ms: number,
  onAbandon?: (run: Promise<void>) => void,
): Promise<void> {
  // the AbortController is made only if the plugin reads its signal (or on timeout): most never do,
  // and one per plugin was a measurable share of booting 1,000 plugins
  let controller: AbortController | undefined
  const options = {
    get signal(): AbortSignal {
      controller ??= new AbortController()
      return controller.signal
    },
  }
  if (!Number.isFinite(ms)) return plugin.initialize(options)
  let timer: NodeJS.Timeout | undefined
  const run = plugin.initialize(options)
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new PluginTimeoutError(
        `plugin "${id}" did not finish initialize() within ${ms} ms; it was aborted (this.signal). ` +
          'Raise initTimeoutMs or make initialize() faster (and honour this.signal).',
        ms,
        { pluginId: id },
      )
      controller ??= new AbortController()
      controller.abort(error)
      onAbandon?.(run)
      reject(error)
    }, ms)
  })
  run.catch(() => {}) // a late failure after the timeout is already reported
  try {
    await Promise.race([run, timeout])
  } finally {
    clearTimeout(timer)
  }
}
