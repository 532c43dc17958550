/** The persisted state of one plugin, in a versioned envelope. */
export interface StoredState {
  /** State schema version, for `migrate`. */
  version: number
  /** The state fields, JSON only. */
  data: Record<string, unknown>
  /** ISO time of the save. */
  savedAt?: string
}

/** Where plugin state lives (implemented by FileStateStore and MemoryStateStore in @pepperpy/extensions). */
export interface StateStore {
  /** The stored state for `key`, or undefined when none (or when it was unreadable and moved aside). */
  load(key: string): Promise<StoredState | undefined>
  /** Stores `state` for `key` atomically. */
  save(key: string, state: StoredState): Promise<void>
  /** Forgets `key`. */
  delete(key: string): Promise<void>
}
