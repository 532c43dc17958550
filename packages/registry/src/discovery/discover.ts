import { existsSync } from 'node:fs'
import { channels, channelTracer, type Diagnostic, type DiscoverChannelContext } from '@pepperpy/plugin'
import { readManifestFile } from '../manifest/parse-manifest.js'
import type { DiscoveredPlugin } from './discovered.js'
import { packageManifests } from './packages.js'
import { scanRoot, type FoundManifest } from './scan-root.js'
import { toPlugin, type ManifestOrigin } from './to-plugin.js'

const discovering = channelTracer(channels.discover)

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
}

/**
 * Scans, in increasing precedence: `before` roots (built-in), the app's plugin packages (from
 * `cwd`), then `after` roots in order. The same type/provider twice: the later wins, with a
 * warning naming both files.
 */
export function discover(before: Root[], cwd: string | undefined, after: Root[], hostVersion: string): DiscoveryResult {
  const diagnostics: Diagnostic[] = []
  const plugins = new Map<string, DiscoveredPlugin>()
  const add = (origin: ManifestOrigin): DiscoveredPlugin | undefined => {
    const plugin = toPlugin(origin, hostVersion, diagnostics)
    if (!plugin) return undefined
    const id = `${plugin.info.type}/${plugin.info.provider}`
    const previous = plugins.get(id)
    if (previous) {
      diagnostics.push({
        file: origin.file,
        severity: 'warning',
        message: `${id} is defined twice: ${origin.file} overrides ${previous.info.manifestPath} (the later root or folder wins)`,
      })
      plugins.delete(id) // re-insert so iteration order follows precedence
    }
    plugins.set(id, plugin)
    return plugin
  }
  const read = (found: FoundManifest): DiscoveredPlugin | undefined => {
    const { parsed, diagnostics: d } = readManifestFile(found.file)
    diagnostics.push(...d)
    if (!parsed) return undefined
    return add({
      file: found.file,
      dir: found.dir,
      segments: found.segments,
      listing: found.listing,
      source: 'file',
      raw: parsed.raw,
      manifest: parsed.manifest,
    })
  }
  // one synchronous trace per manifest when someone listens to pepperpy:discover
  const traced =
    <T extends { file: string }>(step: (x: T) => DiscoveredPlugin | undefined) =>
    (x: T): void => {
      if (!discovering.active) return void step(x)
      const context: DiscoverChannelContext = { pluginId: '', file: x.file }
      const before = diagnostics.length
      discovering.traceSync(context, () => {
        const plugin = step(x)
        if (plugin)
          Object.assign(context, {
            pluginId: `${plugin.info.type}/${plugin.info.provider}`,
            type: plugin.info.type,
            provider: plugin.info.provider,
          })
        if (diagnostics.length > before) context.diagnostics = diagnostics.slice(before)
      })
    }
  const readTraced = traced(read)
  const scan = (root: Root): void => {
    if (!existsSync(root.path)) {
      if (!root.optional) diagnostics.push({ file: root.path, severity: 'warning', message: `plugin path ${root.path} does not exist` })
      return
    }
    for (const found of scanRoot(root.path, diagnostics)) readTraced(found)
  }
  before.forEach(scan)
  if (cwd !== undefined) packageManifests(cwd, diagnostics).forEach(traced(add))
  after.forEach(scan)
  return { plugins, diagnostics }
}
