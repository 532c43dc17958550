/** Options of {@link ModuleLoader.load}. */
export interface LoadModuleOptions {
  /** Evaluate anew, bypassing every module cache (hot reload). @default false */
  fresh?: boolean
}

/** Imports plugin code (.js .mjs .cjs .ts .mts) without a build step (implemented by @pepperpy/registry). */
export interface ModuleLoader {
  /** The module namespace of the file at the absolute path `file`. */
  load(file: string, options?: LoadModuleOptions): Promise<Record<string, unknown>>
}
