/** The persisted state of one plugin, in a versioned envelope. */
export interface StoredState {
  /** State schema version, for `migrate`. */
  version: number
  /** The state fields, JSON only. */
  data: Record<string, unknown>
  /** ISO time of the save. */
  savedAt?: string
  /** Set by the store: 1 after the first save, +1 per save (absent for stores without revisions). */
  revision?: number
  /** Ids of the most recent saves (newest last), for stores that keep them: a writer whose save timed out can tell whether it was applied. */
  writeIds?: string[]
}

/** Options of {@link StateStore.save}. */
export interface SaveStateOptions {
  /** Save only when the stored revision is this one (0: no state yet); otherwise reject with `StateConflictError`. */
  expectedRevision?: number
  /** An id for this save, kept by stores that report `writeIds`. */
  writeId?: string
}

/** Called by {@link StateStore.watch} with the new stored state (undefined once deleted). */
export type StateListener = (state: StoredState | undefined) => void

/** Where plugin state lives (implemented by FileStateStore and MemoryStateStore in @pepperpy/extensions, RedisStateStore in @pepperpy/redis). */
export interface StateStore {
  /** The stored state for `key`, or undefined when none (or when it was unreadable and moved aside). */
  load(key: string): Promise<StoredState | undefined>
  /**
   * Stores `state` for `key` atomically; the new revision is the previous one + 1.
   * @throws StateConflictError when `options.expectedRevision` differs from the stored revision
   */
  save(key: string, state: StoredState, options?: SaveStateOptions): Promise<void>
  /** Forgets `key`. */
  delete(key: string): Promise<void>
  /** Reports changes of `key` (also those of other processes) soon after they are saved; returns a function that stops it. */
  watch?(key: string, listener: StateListener): () => void
}
