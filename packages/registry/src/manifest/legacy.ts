import type { Diagnostic, PluginManifest } from '@pepperpy/plugin'

const PLUGIN_DEP = /^[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)?$/
/** `transformers>=4.0.0`, `torch ~= 2.1`, `spacy[lookups]==3.0`: a package requirement, not a plugin. */
const PACKAGE_REQUIREMENT = /^[A-Za-z0-9][A-Za-z0-9_.-]*(\[[^\]]*\])?\s*(===?|~=|!=|<=?|>=?)\s*\S/

/**
 * Tolerates shapes PepperPy's Python manifests use that are not plugin-system fields, with a
 * warning each, so the plugin is still discovered: a `provider:` mapping (`{module, class}`, the
 * Python entry form), `dependencies` that are package requirements (`transformers>=4.0.0`) or a
 * mapping (`{python: [...]}`). Mutates the normalized manifest only; the raw one is kept as written.
 */
export function tolerateLegacy(manifest: PluginManifest, file: string, diagnostics: Diagnostic[]): void {
  const m = manifest as Record<string, unknown>
  const provider = m['provider']
  if (typeof provider === 'object' && provider !== null && !Array.isArray(provider)) {
    delete m['provider']
    diagnostics.push({
      file,
      field: 'provider',
      severity: 'warning',
      message:
        "provider is a mapping (PepperPy's Python module/class form); ignored: the provider name comes from provider_name or the folder, the code from entry_point",
    })
  }
  const deps = m['dependencies']
  if (typeof deps === 'object' && deps !== null && !Array.isArray(deps)) {
    delete m['dependencies']
    diagnostics.push({
      file,
      field: 'dependencies',
      severity: 'warning',
      message: `dependencies is a mapping (${Object.keys(deps).join(', ') || 'empty'}), not a list of plugins; ignored (package requirements belong in package.json)`,
    })
  } else if (Array.isArray(deps)) {
    const kept = deps.filter((dep: unknown, i) => {
      if (typeof dep !== 'string' || PLUGIN_DEP.test(dep) || !PACKAGE_REQUIREMENT.test(dep.trim())) return true
      diagnostics.push({
        file,
        field: `dependencies.${i}`,
        severity: 'warning',
        message: `"${dep}" is a package requirement, not a plugin dependency ("type/provider" or {type, provider}); ignored (declare packages in package.json)`,
      })
      return false
    })
    if (kept.length !== deps.length) m['dependencies'] = kept
  }
}
