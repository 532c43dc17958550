import { hotReloadableMark, type DependencySpec, type PluginClass, type PluginInfo, type ResolvedPlugin } from '@pepperpy/plugin'
import { finalizeWithFields, resolveConfig, type ConfigPlan } from '../config/config-plan.js'
import type { DiscoveredPlugin } from '../discovery/discovered.js'
import { manifestDependencies } from '../manifest/dependencies.js'
import type { PluginMetadata } from '../options.js'

/** A class given to `register()`. */
export interface Registered {
  Class: PluginClass
  metadata: PluginMetadata
  info: PluginInfo
}

/** A provider found usable by `resolve()`: its class (loaded) and where it came from. */
export interface Candidate {
  type: string
  /** The real provider (aliases followed). */
  provider: string
  /** Alias config layers, outermost first. */
  layers: Record<string, unknown>[]
  Class: PluginClass
  discovered?: DiscoveredPlugin
  registered?: Registered
}

/** Dependencies of a candidate: manifest, then registration metadata, then `static dependencies`. */
export function candidateDependencies(c: Pick<Candidate, 'Class' | 'discovered' | 'registered'>): DependencySpec[] {
  return [
    ...(c.discovered ? manifestDependencies(c.discovered.manifest) : []),
    ...(c.registered?.metadata.dependencies ?? []),
    ...(c.Class.dependencies ?? []),
  ]
}

/**
 * The contract's `ResolvedPlugin` for a candidate: merged and validated config with sources, a
 * `finalizeConfig` adding environment values for class fields, dependencies, info and hot-reload facts.
 * @throws ConfigError listing every config problem
 */
export function buildResolved(requested: string, c: Candidate, plan: ConfigPlan, call: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): ResolvedPlugin {
  const base = resolveConfig(plan, call, c.layers, env)
  const m = c.discovered?.manifest
  const mark = hotReloadableMark(c.Class)
  const entryFile = c.discovered?.entryFile ?? mark?.file
  return {
    type: c.type,
    provider: c.provider,
    requestedProvider: requested,
    PluginClass: c.Class,
    config: base.config,
    sources: base.sources,
    finalizeConfig: (fields, defaults) => finalizeWithFields(plan, base, env, fields, defaults),
    dependencies: candidateDependencies(c),
    info: c.registered?.info ?? c.discovered!.info,
    hotReload: m?.hot_reload === true || c.registered?.metadata.hotReload === true || mark !== undefined,
    ...(entryFile ? { entryFile } : {}),
  }
}
