import { PluginTimeoutError, type PepperpyPlugin } from '@pepperpy/plugin'

/** Runs `plugin.initialize({ signal })`, aborting the signal and rejecting when `ms` passes first. */
export async function initializeWithTimeout(plugin: PepperpyPlugin, id: string, ms: number): Promise<void> {
  const controller = new AbortController()
  if (!Number.isFinite(ms)) return plugin.initialize({ signal: controller.signal })
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new PluginTimeoutError(
        `plugin "${id}" did not finish initialize() within ${ms} ms; it was aborted (this.signal). Raise initTimeoutMs or make initialize() faster.`,
        ms,
        { pluginId: id },
      )
      controller.abort(error)
      reject(error)
    }, ms)
  })
  const run = plugin.initialize({ signal: controller.signal })
  run.catch(() => {}) // a late failure after the timeout is already reported
  try {
    await Promise.race([run, timeout])
  } finally {
    clearTimeout(timer)
  }
}
