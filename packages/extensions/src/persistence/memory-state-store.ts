import type { StateStore, StoredState } from '@pepperpy/plugin'

/** A StateStore kept in memory (tests, ephemeral hosts); values are deep-copied in and out. */
export class MemoryStateStore implements StateStore {
  readonly #data = new Map<string, StoredState>()

  /** The state saved for `key`, if any. */
  async load(key: string): Promise<StoredState | undefined> {
    const value = this.#data.get(key)
    return value === undefined ? undefined : structuredClone(value)
  }

  /** Saves a copy of `state`. */
  async save(key: string, state: StoredState): Promise<void> {
    this.#data.set(key, structuredClone(JSON.parse(JSON.stringify(state)) as StoredState))
  }

  /** Forgets `key`. */
  async delete(key: string): Promise<void> {
    this.#data.delete(key)
  }

  /** Keys with saved state. */
  keys(): string[] {
    return [...this.#data.keys()]
  }
}
