import type { JsonSchema } from './json-schema.js'
import type { PluginManifest } from './manifest.js'

/** How a plugin depends on another. */
export type DependencyType = 'required' | 'optional' | 'runtime' | 'enhances'

/** One dependency of a plugin on another plugin. */
export interface DependencySpec {
  /** Plugin type depended on, e.g. `embeddings`. */
  type: string
  /** Provider depended on; when absent, whichever provider the type resolves to by default. */
  provider?: string
  /** @default 'required' */
  dependencyType?: DependencyType
  /** Semver range the dependency's version must satisfy. */
  version?: string
}

/**
 * Map from plugin type to the interface its providers implement; augment it for typed
 * `createProviderInstance`. Apps that install only `@pepperpy/plugins` augment that module instead
 * (its `PluginTypes` extends this one).
 * @example
 * declare module '@pepperpy/plugin' { interface PluginTypes { llm: LlmPlugin } }
 */
export interface PluginTypes {}

/**
 * Map from `type/provider` to that provider's class; augment it when two providers of one type
 * differ. An entry here wins over {@link PluginTypes} for that provider.
 * @example
 * declare module '@pepperpy/plugin' { interface PluginProviders { 'llm/openai': OpenAiLlm } }
 */
export interface PluginProviders {}

export type { JsonSchema } from './json-schema.js'

/** Where a plugin known to the registry came from. */
export type PluginSource = 'registered' | 'file' | 'package'

/** What the registry knows about one plugin, without loading its code. */
export interface PluginInfo {
  type: string
  provider: string
  name?: string
  version?: string
  description?: string
  /** The plugin.yaml (or package.json) it was found in. */
  manifestPath?: string
  source: PluginSource
  /** The manifest as written, unknown fields included. */
  manifest?: PluginManifest
}

/** One problem found while discovering or validating plugins. */
export interface Diagnostic {
  /** The file at fault. */
  file?: string
  /** The manifest field at fault (dotted path). */
  field?: string
  /** What is wrong and what to do. */
  message: string
  severity: 'error' | 'warning'
}

/** What `discoverPlugins()` found: usable plugins and a diagnostic for each problem. */
export interface DiscoveryReport {
  plugins: PluginInfo[]
  diagnostics: Diagnostic[]
}

/** Where a plugin held by a manager is in its lifecycle, as `manager.health()` reports it. */
export type PluginState = 'pending' | 'initializing' | 'initialized' | 'failed' | 'skipped' | 'cleaned'

/** A node of the dependency graph: a plugin, live or only declared by a manifest. */
export interface GraphNode {
  /** `type/provider` (or a bare type for a dependency on any provider). */
  id: string
  type: string
  provider: string
  /** Set for live instances. */
  initialized?: boolean
  /** The manifest the plugin came from, when any. */
  manifestPath?: string
  /** Set when the graph carries a health report (`pepperpy graph --health`): `failed` and `skipped` nodes are marked. */
  state?: PluginState
  /** With `state`: why it failed or was skipped. */
  error?: string
}

/** A typed edge of the dependency graph: `from` depends on `to`. */
export interface GraphEdge {
  from: string
  to: string
  dependencyType: DependencyType
}

/** The dependency graph, as `manager.graph()`, `system.graph()` and `pepperpy graph` report it. */
export interface DependencyGraph {
  nodes: GraphNode[]
  edges: GraphEdge[]
}

/** What a failing `initialize()` does to a boot: `abort` it (roll back, reject) or `continue` without the plugin. */
export type BootFailurePolicy = 'abort' | 'continue'

/**
 * What may be said about a plugin besides its class: `registerPlugin(type, provider, Class, metadata)`
 * (the registry reads all of it) and `manager.registerPluginMetadata` (the manager reads `dependencies`
 * and `bootFailure`).
 */
export interface PluginMetadata {
  name?: string
  version?: string
  description?: string
  /** Added to those of the manifest and the class's `static dependencies`. */
  dependencies?: readonly DependencySpec[]
  /** JSON Schema of the config (overrides `static configSchema`). */
  configSchema?: JsonSchema
  /** Config used when neither call, alias nor environment gives one. */
  defaultConfig?: Record<string, unknown>
  requiredConfigKeys?: string[]
  /** Swap live instances when the class's module changes. */
  hotReload?: boolean
  /** When its `initialize()` fails during a boot: `abort` the boot or `continue` without it (overrides the system's option). */
  bootFailure?: BootFailurePolicy
  /** Initialized on one process of a fleet at a time (needs a plugin system with a `lease`). */
  leader?: boolean
}
