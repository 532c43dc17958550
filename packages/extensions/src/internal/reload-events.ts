import { describeError, type Logger } from '@pepperpy/plugin'

type ReloadListener = (e: { pluginId: string }) => void
type ErrorListener = (e: { pluginId?: string; error: Error }) => void

/** The `reload` / `error` listeners of one hot reloader. */
export interface ReloadEvents {
  /** Adds a listener. @returns a function that removes it */
  on(event: 'reload', fn: ReloadListener): () => void
  on(event: 'error', fn: ErrorListener): () => void
  reload(pluginId: string): void
  error(error: Error, pluginId?: string): void
}

/**
 * Listener sets that never throw into the reloader: a throwing listener is logged. Errors with no
 * `error` listener go to the host's logger so they are never silent.
 */
export function createReloadEvents(logger: Logger): ReloadEvents {
  const reloads = new Set<ReloadListener>()
  const errors = new Set<ErrorListener>()
  const call = <E>(fn: (e: E) => void, e: E): void => {
    try {
      fn(e)
    } catch (error) {
      logger.error(`a hot reload listener threw: ${describeError(error)}`, error)
    }
  }
  return {
    on(event: 'reload' | 'error', fn: ReloadListener | ErrorListener): () => void {
      const set = (event === 'reload' ? reloads : errors) as Set<ReloadListener | ErrorListener>
      set.add(fn)
      return () => void set.delete(fn)
    },
    reload(pluginId) {
      for (const fn of reloads) call(fn, { pluginId })
    },
    error(error, pluginId) {
      if (errors.size === 0) logger.error(`hot reload${pluginId ? ` of ${pluginId}` : ''} failed: ${error.message}`)
      for (const fn of errors) call(fn, pluginId === undefined ? { error } : { pluginId, error })
    },
  }
}
