import type { DependencyType, PepperpyPlugin, ResolvedPlugin } from '@pepperpy/plugin'

/** A resolved dependency edge: the holder depends on `to`. */
export interface Edge {
  to: string
  type: DependencyType
}

/** What the manager keeps per requested `type/provider`. */
export interface Node {
  key: string
  type: string
  provider: string
  config: Record<string, unknown> | undefined
  creating: Promise<PepperpyPlugin>
  instance?: PepperpyPlugin
  resolved?: ResolvedPlugin
  /** Resolved edges, once linked. */
  edges?: Edge[]
  /** The edges depend on which plugins are held (an absent optional or enhances target): relink each time. */
  soft?: boolean
  /** An `enhances` target that is absent: the plugin is not initialized (no error). */
  skipped?: string
}

/** `type/provider`. */
export const idOf = (type: string, provider: string): string => `${type}/${provider}`

/** The first key whose value differs between two configs (compared as JSON), or undefined. */
export function configDifference(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): string | undefined {
  const x = a ?? {}
  const y = b ?? {}
  for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
    if (JSON.stringify(x[key]) !== JSON.stringify(y[key])) return key
  }
  return undefined
}

/** The message of an error, or the value as a string. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
