/** Options for one shared resource. */
export interface ResourceOptions<T> {
  /** Creates the resource; runs once per key even under concurrent callers. */
  factory: () => T | Promise<T>
  /** Releases the resource; runs exactly once, when the last holder lets go. */
  cleanup?: (resource: T) => void | Promise<void>
  /** `'shared'` by key across plugins of one system; `'plugin'` private to the holder. @default 'shared' */
  scope?: 'shared' | 'plugin'
}

/** The refcounted resource pool a plugin system shares between its plugins (implemented by @pepperpy/resources). */
export interface ResourcePoolPort {
  /** Gets (creating on first use) the resource `key` and counts `holder` as holding it. */
  acquire<T>(key: string, holder: object, options: ResourceOptions<T>): Promise<T>
  /** Stops counting `holder`; the cleanup runs when no holder is left. */
  release(key: string, holder: object): Promise<void>
  /** Releases everything `holder` holds; all cleanups are attempted. */
  releaseAll(holder: object): Promise<void>
  /** True when `holder` (or, without one, anybody) holds `key`. */
  has(key: string, holder?: object): boolean
  /** Releases every resource, newest first, reporting all failures together. */
  dispose(): Promise<void>
}
