import type { Dirent } from 'node:fs'
import type { Diagnostic, PluginInfo, PluginManifest, PluginSource } from '@pepperpy/plugin'
import { resolveEntryPointIn } from '../entry-point.js'
import { lazyRequire } from '../internal/lazy.js'
import type { DiscoveredPlugin } from './discovered.js'

interface Semver {
  validRange(range: string): string | null
  satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean
  valid(version: string): string | null
  lt(a: string, b: string): boolean
}

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
}

/** Checks the host version against `pepperpy` / `pepperpy_compatibility` / `min_framework_version`. */
function compatibility(m: PluginManifest, file: string, hostVersion: string): Diagnostic | undefined {
  const semver = lazyRequire<Semver>('semver')
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
  if (min !== undefined && semver.valid(min) && semver.lt(hostVersion, min)) {
    return {
      file,
      field: 'min_framework_version',
      severity: 'error',
      message: `plugin requires @pepperpy >= ${min}, but this host is ${hostVersion}`,
    }
  }
  return undefined
}

const verdicts = new Map<string, { field: string; message: string } | undefined>()

/** {@link compatibility}, remembered by host version and the three fields: plugins mostly share them. */
function checkCompatibility(m: PluginManifest, file: string, hostVersion: string): Diagnostic | undefined {
  // most manifests state no range: then semver is not loaded at all (tens of milliseconds on a cold start)
  if (m.pepperpy === undefined && m.pepperpy_compatibility === undefined && m.min_framework_version === undefined) return undefined
  const key = JSON.stringify([hostVersion, m.pepperpy, m.pepperpy_compatibility, m.min_framework_version])
  let verdict = verdicts.get(key)
  if (verdict === undefined && !verdicts.has(key)) {
    const d = compatibility(m, file, hostVersion)
    verdict = d && { field: d.field!, message: d.message }
    if (verdicts.size < 1000) verdicts.set(key, verdict)
  }
  return verdict && { file, field: verdict.field, severity: 'error', message: verdict.message }
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
export function toPlugin(origin: ManifestOrigin, hostVersion: string, diagnostics: Diagnostic[]): DiscoveredPlugin | undefined {
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
