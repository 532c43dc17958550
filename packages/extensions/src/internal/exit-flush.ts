/** Something with state to write before the process exits. */
export interface ExitFlushable {
  /** Starts saving pending changes, if any (a bounded number of times). */
  flushAtExit(): void
}

const live = new Set<ExitFlushable>()
let installed = false

/**
 * Writes the pending state of every started tracker when the process exits normally without
 * `dispose()` (`beforeExit`: the event loop ran empty). `process.exit()` and signals skip it;
 * call `flushState` or `dispose()` before those.
 */
export function flushOnExit(tracker: ExitFlushable): () => void {
  live.add(tracker)
  if (!installed) {
    installed = true
    process.on('beforeExit', () => {
      for (const t of live) t.flushAtExit()
    })
  }
  return () => live.delete(tracker)
}
