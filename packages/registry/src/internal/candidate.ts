import type { BootFailurePolicy, DependencySpec, PluginClass, PluginInfo } from '@pepperpy/plugin'
import { hotReloadableMark, type ResolvedPlugin } from '@pepperpy/plugin/spi'
import { finalizeWithFields, resolveConfig, type ConfigPlan } from '../config/config-plan.js'
import { checkUnknownKeys, type UnknownKeyPolicy } from '../config/unknown-keys.js'
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
  /** `type/provider` of the real provider. */
  id: string
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
  const out: DependencySpec[] = c.discovered ? manifestDependencies(c.discovered.manifest) : []
  for (const list of [c.registered?.metadata.dependencies, c.Class.dependencies]) if (list) for (const d of list) out.push(d)
  return out
}

/** The parts of a `ResolvedPlugin` that depend only on the candidate's class and manifest or registration (computed once per plan). */
export interface CandidateStatics {
  dependencies: DependencySpec[]
  info: PluginInfo
  hotReload: boolean
  entryFile: string | undefined
  bootFailure: BootFailurePolicy | undefined
}

/** Computes the {@link CandidateStatics} of `c`; the dependency list is frozen, as it is shared. */
export function candidateStatics(c: Candidate): CandidateStatics {
  const mark = hotReloadableMark(c.Class)
  return {
    dependencies: Object.freeze(candidateDependencies(c)) as DependencySpec[],
    info: c.registered?.info ?? c.discovered!.info,
    hotReload: c.discovered?.manifest.hot_reload === true || c.registered?.metadata.hotReload === true || mark !== undefined,
    entryFile: c.discovered?.entryFile ?? mark?.file,
    bootFailure: c.discovered?.manifest.boot_failure ?? c.registered?.metadata.bootFailure,
  }
}

/**
 * The contract's `ResolvedPlugin` for a candidate: merged and validated config with sources, a
 * `finalizeConfig` adding environment values for class fields, dependencies, info and hot-reload facts.
 * @throws ConfigError listing every config problem
 */
export function buildResolved(
  requested: string,
  c: Candidate,
  plan: ConfigPlan,
  statics: CandidateStatics,
  call: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  unknownKeys?: UnknownKeyPolicy,
): ResolvedPlugin {
  const base = resolveConfig(plan, call, c.layers, env)
  const resolved: ResolvedPlugin = {
    type: c.type,
    provider: c.provider,
    requestedProvider: requested,
    PluginClass: c.Class,
    config: base.config,
    sources: base.sources,
    finalizeConfig: (fields, defaults) => {
      const final = finalizeWithFields(plan, base, env, fields, defaults)
      if (unknownKeys) checkUnknownKeys(plan, final, fields, unknownKeys)
      return final
    },
    dependencies: statics.dependencies,
    info: statics.info,
    hotReload: statics.hotReload,
  }
  if (statics.entryFile) resolved.entryFile = statics.entryFile
  if (statics.bootFailure) resolved.bootFailure = statics.bootFailure
  return resolved
}
