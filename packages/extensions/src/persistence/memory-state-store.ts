import { StateConflictError, type SaveStateOptions, type StateListener, type StateStore, type StoredState } from '@pepperpy/plugin'
import { envelopeOf, KEPT_WRITE_IDS } from './stored-state.js'

/** A StateStore kept in memory (tests, ephemeral hosts); values are deep-copied in and out; revisions and `watch` as in the other stores. */
export class MemoryStateStore implements StateStore {
  readonly #data = new Map<string, StoredState>()
  readonly #listeners = new Map<string, Set<StateListener>>()

  /** The state saved for `key`, if any. */
  async load(key: string): Promise<StoredState | undefined> {
    const value = this.#data.get(key)
    return value === undefined ? undefined : structuredClone(value)
  }

  /**
   * Saves a copy of `state`.
   * @throws StateConflictError when `options.expectedRevision` is not the stored revision
   */
  async save(key: string, state: StoredState, options: SaveStateOptions = {}): Promise<void> {
    const current = this.#data.get(key)
    const revision = current?.revision ?? 0
    if (options.expectedRevision !== undefined && options.expectedRevision !== revision)
      throw new StateConflictError(
        `state of "${key}" changed meanwhile (revision ${revision}, expected ${options.expectedRevision}); reload and merge`,
        {
          pluginId: key,
          expectedRevision: options.expectedRevision,
          actualRevision: revision,
        },
      )
    const copy = JSON.parse(JSON.stringify(envelopeOf(state))) as StoredState
    copy.revision = revision + 1
    copy.writeIds = options.writeId ? [...(current?.writeIds ?? []), options.writeId].slice(-KEPT_WRITE_IDS) : (current?.writeIds ?? [])
    this.#data.set(key, copy)
    this.#notify(key)
  }

  /** Forgets `key`. */
  async delete(key: string): Promise<void> {
    if (this.#data.delete(key)) this.#notify(key)
  }

  /** Reports every save and delete of `key` (asynchronously, in order). */
  watch(key: string, listener: StateListener): () => void {
    let set = this.#listeners.get(key)
    if (!set) this.#listeners.set(key, (set = new Set()))
    set.add(listener)
    return () => set.delete(listener)
  }

  /** Keys with saved state. */
  keys(): string[] {
    return [...this.#data.keys()]
  }

  #notify(key: string): void {
    const value = this.#data.get(key)
    for (const listener of this.#listeners.get(key) ?? [])
      queueMicrotask(() => listener(value === undefined ? undefined : structuredClone(value)))
  }
}
