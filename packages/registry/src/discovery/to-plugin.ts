import type { Dirent } from 'node:fs'
import type { Diagnostic, PluginInfo, PluginManifest, PluginSource } from '@pepperpy/plugin'
import { resolveEntryPointIn } from '../entry-point.js'
import { patternProblem } from '../config/linear-regexp.js'
import { nameProblem } from '../internal/names.js'
import { semverMemo } from '../internal/semver-memo.js'
import type { DiscoveredPlugin } from './discovered.js'

/** Where a manifest came from, for naming and layout defaults. */
export interface ManifestOrigin {
  file: string
  dir: string
  /** Folder segments below the root (`['llm', 'openai']` for `<root>/llm/openai`). */
  segments: string[]
  /** The folder's readdir dirents, when the scan has them. */
  listing?: readonly Dirent[]
  source: PluginSource
  raw: PluginManifest
  manifest: PluginManifest
  /** The npm package that declared it (package discovery only). */
  packageName?: string
}

/** The host version, asked only for a manifest that states a range (finding @pepperpy/plugin's own version costs a module resolution). */
export type HostVersion = () => string

/** Checks the host version against `pepperpy` / `pepperpy_compatibility` / `min_framework_version`. */
function compatibility(m: PluginManifest, file: string, hostVersion: string): Diagnostic | undefined {
  const semver = semverMemo
  const range = m.pepperpy ?? m.pepperpy_compatibility
  const field = m.pepperpy !== undefined ? 'pepperpy' : 'pepperpy_compatibility'
  if (range !== undefined) {
    if (!semver.validRange(range)) return { file, field, severity: 'error', message: `${field} "${range}" is not a semver range` }
    if (!semver.satisfies(hostVersion, range, { includePrerelease: true })) {
      return {
        file,
        field,
        severity: 'error',
        message: `plugin requires @pepperpy ${range}, but this host is ${hostVersion}; update one of them`,
      }
    }
  }
  const min = m.min_framework_version
  if (min !== undefined) {
    const field = 'min_framework_version'
    const minimum = typeof min === 'string' ? semver.valid(min) : null
    const asRange = minimum === null && typeof min === 'string' ? semver.validRange(min) : null
    if (minimum === null && asRange === null)
      return { file, field, severity: 'error', message: `${field} ${JSON.stringify(min)} is not a semver version (e.g. "0.1.0")` }
    if (minimum !== null && semver.lt(hostVersion, minimum))
      return {
        file,
        field,
        severity: 'error',
        message: `plugin requires @pepperpy >= ${minimum}, but this host is ${hostVersion}; update one of them`,
      }
    if (asRange !== null && !semver.satisfies(hostVersion, min as string, { includePrerelease: true }))
      return {
        file,
        field,
        severity: 'error',
        message: `plugin requires @pepperpy ${min}, but this host is ${hostVersion}; update one of them`,
      }
  }
  return undefined
}

const verdicts = new Map<string, { field: string; message: string } | undefined>()

/** {@link compatibility}, remembered by host version and the three fields: plugins mostly share them. */
function checkCompatibility(m: PluginManifest, file: string, host: HostVersion): Diagnostic | undefined {
  // most manifests state no range: then semver is not loaded at all (tens of milliseconds on a cold start)
  if (m.pepperpy === undefined && m.pepperpy_compatibility === undefined && m.min_framework_version === undefined) return undefined
  const hostVersion = host()
  const key = JSON.stringify([hostVersion, m.pepperpy, m.pepperpy_compatibility, m.min_framework_version])
  let verdict = verdicts.get(key)
  if (verdict === undefined && !verdicts.has(key)) {
    const d = compatibility(m, file, hostVersion)
    verdict = d && { field: d.field!, message: d.message }
    if (verdicts.size < 1000) verdicts.set(key, verdict)
  }
  return verdict && { file, field: verdict.field, severity: 'error', message: verdict.message }
}

/** An error diagnostic for the first `pattern` (or `patternProperties` key) of a config schema that RE2 cannot run. */
function schemaPatternProblem(schema: unknown, file: string): Diagnostic | undefined {
  const walk = (node: unknown, path: string, depth: number): Diagnostic | undefined => {
    if (typeof node !== 'object' || node === null || depth > 32) return undefined
    for (const [key, value] of Object.entries(node)) {
      const at = `${path}.${key}`
      if (key === 'pattern' && typeof value === 'string') {
        const problem = patternProblem(value)
        if (problem) return { file, field: at, severity: 'error', message: `${at} ${problem}` }
      }
      if (key === 'patternProperties' && typeof value === 'object' && value !== null)
        for (const name of Object.keys(value)) {
          const problem = patternProblem(name)
          if (problem) return { file, field: at, severity: 'error', message: `${at} ${problem}` }
        }
      const inner = walk(value, at, depth + 1)
      if (inner) return inner
    }
    return undefined
  }
  return walk(schema, 'config_schema', 0)
}

/** An error diagnostic for the first dependency whose `version` is not a semver range. */
function dependencyVersionProblem(m: PluginManifest, file: string): Diagnostic | undefined {
  const deps = m.dependencies
  if (!Array.isArray(deps)) return undefined
  for (const [i, dep] of deps.entries()) {
    if (typeof dep !== 'object' || dep === null || dep.version === undefined || dep.version === null) continue
    const version = dep.version as unknown
    if (typeof version === 'string' && semverMemo.validRange(version) !== null) continue
    return {
      file,
      field: `dependencies.${i}.version`,
      severity: 'error',
      message: `dependency ${dep.type}${dep.provider ? `/${dep.provider}` : ''} has version ${JSON.stringify(version)}, which is not a semver range (e.g. ">=1.0.0" or "^2")`,
    }
  }
  return undefined
}

/** The plugin's info: names, origin, and the manifest's name, version and description when they are strings. */
function infoOf(type: string, provider: string, origin: ManifestOrigin): PluginInfo {
  const m = origin.manifest
  const info: PluginInfo = { type, provider, source: origin.source, manifestPath: origin.file, manifest: origin.raw }
  if (typeof m.name === 'string') info.name = m.name
  if (typeof m.version === 'string') info.version = m.version
  if (typeof m.description === 'string') info.description = m.description
  return info
}

/**
 * Turns a validated manifest into a discovered plugin: type/provider from the manifest or the
 * folder layout, compatibility, entry point checks. Returns undefined (with diagnostics) when unusable.
 */
export function toPlugin(origin: ManifestOrigin, hostVersion: HostVersion, diagnostics: Diagnostic[]): DiscoveredPlugin | undefined {
  const { file, manifest: m } = origin
  const type = m.type ?? m.plugin_type ?? (origin.segments.length === 2 ? origin.segments[0] : undefined)
  const provider = m.provider ?? m.provider_name ?? (origin.segments.length === 2 ? origin.segments[1] : undefined)
  if (!type || !provider) {
    diagnostics.push({
      file,
      severity: 'warning',
      message: `manifest is not at <root>/<type>/<provider>/ and does not declare type and provider; skipped (add "type:" and "provider:")`,
    })
    return undefined
  }
  for (const [kind, name, declared] of [
    ['type', type, m.type !== undefined ? 'type' : m.plugin_type !== undefined ? 'plugin_type' : undefined],
    ['provider', provider, m.provider !== undefined ? 'provider' : m.provider_name !== undefined ? 'provider_name' : undefined],
  ] as const) {
    const problem = nameProblem(kind, name)
    if (problem) {
      const where = declared ?? `the folder name (${kind} from <root>/<type>/<provider>/)`
      diagnostics.push({
        file,
        field: declared ?? kind,
        severity: 'error',
        message: `${problem}; from ${where}. Rename it; the plugin was skipped`,
      })
      return undefined
    }
  }
  const badPattern = m.config_schema === undefined ? undefined : schemaPatternProblem(m.config_schema, file)
  if (badPattern) {
    diagnostics.push(badPattern)
    return undefined
  }
  const badVersion = dependencyVersionProblem(m, file)
  if (badVersion) {
    diagnostics.push(badVersion)
    return undefined
  }
  const incompatible = checkCompatibility(m, file, hostVersion)
  if (incompatible) {
    diagnostics.push(incompatible)
    return undefined
  }
  const entry = resolveEntryPointIn(origin.dir, m.entry_point, origin.listing)
  if (!entry.ok && entry.severity === 'error') {
    diagnostics.push({ file, field: 'entry_point', severity: 'error', message: entry.message })
    return undefined
  }
  if (!entry.ok) diagnostics.push({ file, field: 'entry_point', severity: 'warning', message: entry.message })
  const plugin: DiscoveredPlugin = { info: infoOf(type, provider, origin), manifest: m, dir: origin.dir }
  if (entry.ok) plugin.entryFile = entry.file
  else plugin.entryProblem = entry.message
  if (entry.exportName !== undefined) plugin.exportName = entry.exportName
  return plugin
}
