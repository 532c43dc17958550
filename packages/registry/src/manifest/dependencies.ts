import type { DependencySpec, DependencyType, PluginManifest } from '@pepperpy/plugin'

/** The manifest's `dependencies` as DependencySpecs (`"type/provider"` strings and objects). */
export function manifestDependencies(m: PluginManifest): DependencySpec[] {
  const out: DependencySpec[] = []
  for (const dep of m.dependencies ?? []) {
    if (typeof dep === 'string') {
      const [type, provider] = dep.split('/')
      if (type) out.push({ type, ...(provider ? { provider } : {}) })
    } else if (dep && typeof dep.type === 'string') {
      out.push({
        type: dep.type,
        ...(dep.provider ? { provider: dep.provider } : {}),
        ...(dep.dependency_type ? { dependencyType: dep.dependency_type as DependencyType } : {}),
        ...(dep.version ? { version: dep.version } : {}),
      })
    }
  }
  return out
}
