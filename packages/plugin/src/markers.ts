/** Static brand set by `hotReloadablePlugin`; its value says where the class's module lives. */
export const HOT_RELOADABLE: unique symbol = Symbol.for('pepperpy.hotReloadable') as never

/** What `hotReloadablePlugin` records on a class. */
export interface HotReloadableMark {
  /** Absolute path of the module that defines the class, when it could be found. */
  file?: string
  /** Name of the export holding the class. */
  exportName?: string
}

/** The hot-reload mark of a class (own or inherited), or undefined when it is not hot-reloadable. */
export function hotReloadableMark(Class: unknown): HotReloadableMark | undefined {
  if (typeof Class !== 'function') return undefined
  return (Class as unknown as { [HOT_RELOADABLE]?: HotReloadableMark })[HOT_RELOADABLE]
}
