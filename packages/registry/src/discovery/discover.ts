import { existsSync } from 'node:fs'
import { channels, describeError, type Diagnostic, type DiscoverChannelContext } from '@pepperpy/plugin'
import { channelTracer } from '@pepperpy/plugin/spi'
import { envPrefix } from '../internal/names.js'
import { readManifestFile } from '../manifest/parse-manifest.js'
import type { DiscoveredPlugin } from './discovered.js'
import { packageManifests } from './packages.js'
import { scanRoot, type FoundManifest } from './scan-root.js'
import { toPlugin, type HostVersion, type ManifestOrigin } from './to-plugin.js'

/** A plugin root and whether its absence is worth a warning. */
export interface Root {
  path: string
  /** Default roots (home, ./plugins, built-in) may be absent silently. */
  optional: boolean
}

/** Everything one discovery pass found. */
export interface DiscoveryResult {
  /** By `type/provider`; later roots have replaced earlier ones. */
  plugins: Map<string, DiscoveredPlugin>
  diagnostics: Diagnostic[]
  /** `type/provider` ids whose manifest was found (by folder or declared fields) but refused: the first error of each. */
  refused: Map<string, Diagnostic>
}

const discovering = channelTracer(channels.discover)

/**
 * Scans, in increasing precedence: `before` roots (built-in), the app's plugin packages (from
 * `cwd`), then `after` roots in order. The same type/provider twice: the later wins, with a
 * warning naming both files. Two packages declaring one type/provider are both refused unless the
 * app's `pepperpy.prefer` chooses one. Never throws: whatever goes wrong with one manifest is a
 * diagnostic of that manifest. `readManifest` reads each plugin.yaml (a cached reader gives the same results).
 */
export function discover(
  before: Root[],
  cwd: string | undefined,
  after: Root[],
  hostVersion: HostVersion,
  readManifest: typeof readManifestFile = readManifestFile,
): DiscoveryResult {
  const diagnostics: Diagnostic[] = []
  const plugins = new Map<string, DiscoveredPlugin>()
  const refused = new Map<string, Diagnostic>()
  const prefixes = new Map<string, string>() // env prefix -> id holding it
  const refuse = (ids: Iterable<string>, d: Diagnostic): void => {
    for (const id of ids) if (!plugins.has(id) && !refused.has(id)) refused.set(id, d)
  }
  /** Converts an origin, recording why it was refused; `undefined` when it was. */
  const convert = (origin: ManifestOrigin): DiscoveredPlugin | undefined => {
    const start = diagnostics.length
    let plugin: DiscoveredPlugin | undefined
    try {
      plugin = toPlugin(origin, hostVersion, diagnostics)
    } catch (error) {
      diagnostics.push({
        file: origin.file,
        severity: 'error',
        message: `manifest cannot be used: ${describeError(error)}`,
      })
    }
    if (!plugin) {
      const error = diagnostics.slice(start).find((d) => d.severity === 'error')
      if (error) refuse(declaredIds(origin.manifest, origin.segments), error)
    }
    return plugin
  }
  const add = (plugin: DiscoveredPlugin, file: string): void => {
    const id = `${plugin.info.type}/${plugin.info.provider}`
    const prefix = envPrefix(plugin.info.type, plugin.info.provider)
    const holder = prefixes.get(prefix)
    if (holder !== undefined && holder !== id) {
      const d: Diagnostic = {
        file,
        severity: 'error',
        message: `${id} reads the same environment variables (${prefix}__*) as ${holder} from ${plugins.get(holder)?.info.manifestPath}; rename one of them (the later one was refused)`,
      }
      diagnostics.push(d)
      refuse([id], d)
      return
    }
    const previous = plugins.get(id)
    if (previous) {
      diagnostics.push({
        file,
        severity: 'warning',
        message: `${id} is defined twice: ${file} overrides ${previous.info.manifestPath} (the later root or folder wins)`,
      })
      plugins.delete(id) // re-insert so iteration order follows precedence
    }
    prefixes.set(prefix, id)
    plugins.set(id, plugin)
  }
  const scan = (root: Root): void => {
    if (!existsSync(root.path)) {
      if (!root.optional) diagnostics.push({ file: root.path, severity: 'warning', message: `plugin path ${root.path} does not exist` })
      return
    }
    for (const found of scanRoot(root.path, diagnostics)) {
      if (discovering.active) traced(found.file, () => read(found))
      else read(found)
    }
  }
  /** Reads one manifest of a root; the plugin it added, if any. */
  const read = (found: FoundManifest): DiscoveredPlugin | undefined => {
    try {
      const { parsed, diagnostics: d, doc } = readManifest(found.file)
      diagnostics.push(...d)
      if (!parsed) {
        const error = d.find((x) => x.severity === 'error')
        if (error) refuse(declaredIds(doc, found.segments), error)
        return undefined
      }
      const origin: ManifestOrigin = {
        file: found.file,
        dir: found.dir,
        segments: found.segments,
        listing: found.listing,
        source: 'file',
        raw: parsed.raw,
        manifest: parsed.manifest,
      }
      const plugin = convert(origin)
      if (plugin) add(plugin, found.file)
      return plugin
    } catch (error) {
      diagnostics.push({
        file: found.file,
        severity: 'error',
        message: `manifest cannot be read: ${describeError(error)}`,
      })
      return undefined
    }
  }
  /** `step` as one synchronous pepperpy:discover trace of manifest `file`; the id is filled in once known. */
  const traced = (file: string, step: () => DiscoveredPlugin | undefined): DiscoveredPlugin | undefined => {
    const context: DiscoverChannelContext = { pluginId: '', file }
    const start = diagnostics.length
    return discovering.traceSync(context, () => {
      const plugin = step()
      if (plugin) {
        const { type, provider } = plugin.info
        Object.assign(context, { pluginId: `${type}/${provider}`, type, provider })
      }
      if (diagnostics.length > start) context.diagnostics = diagnostics.slice(start)
      return plugin
    })
  }
  before.forEach(scan)
  if (cwd !== undefined) addPackages(cwd)
  after.forEach(scan)
  return { plugins, diagnostics, refused }

  function addPackages(from: string): void {
    const { origins, prefer, appFile, refused: bad } = packageManifests(from, diagnostics)
    for (const { doc, error } of bad) refuse(declaredIds(doc, []), error)
    const byId = new Map<string, Array<{ plugin: DiscoveredPlugin; origin: ManifestOrigin }>>()
    for (const origin of origins) {
      const plugin = discovering.active ? traced(origin.file, () => convert(origin)) : convert(origin)
      if (!plugin) continue
      const id = `${plugin.info.type}/${plugin.info.provider}`
      byId.set(id, [...(byId.get(id) ?? []), { plugin, origin }])
    }
    for (const [id, claims] of byId) {
      if (claims.length === 1) {
        add(claims[0]!.plugin, claims[0]!.origin.file)
        continue
      }
      const names = claims.map((c) => c.origin.packageName ?? c.origin.file)
      const chosen = prefer[id]
      const winner = chosen === undefined ? undefined : claims.find((c) => c.origin.packageName === chosen)
      if (winner) {
        add(winner.plugin, winner.origin.file)
        continue
      }
      const why =
        chosen === undefined
          ? `choose one in ${appFile ?? 'package.json'}: "pepperpy": { "prefer": { "${id}": "${names[0]}" } }`
          : `pepperpy.prefer names "${chosen}", which does not declare it`
      for (const c of claims) {
        const d: Diagnostic = {
          file: c.origin.file,
          severity: 'error',
          message: `${id} is declared by several packages (${names.join(', ')}); all were refused: ${why}`,
        }
        diagnostics.push(d)
        refuse([id], d)
      }
    }
  }
}

/** The ids a manifest stands for: its folder (`<root>/<type>/<provider>/`) and its declared type/provider fields. */
function declaredIds(doc: unknown, segments: readonly string[]): string[] {
  const ids: string[] = []
  if (segments.length === 2) ids.push(`${segments[0]}/${segments[1]}`)
  if (typeof doc === 'object' && doc !== null) {
    const m = doc as Record<string, unknown>
    const type = str(m['type']) ?? str(m['plugin_type']) ?? (segments.length === 2 ? segments[0] : undefined)
    const provider = str(m['provider']) ?? str(m['provider_name']) ?? (segments.length === 2 ? segments[1] : undefined)
    if (type !== undefined && provider !== undefined) ids.push(`${type}/${provider}`)
  }
  return ids
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)
