import { existsSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import type { Diagnostic } from '@pepperpy/plugin'
import { checkManifest, readManifestFile } from '../manifest/parse-manifest.js'
import { readRegularFile } from '../manifest/read-file.js'
import type { ManifestOrigin } from './to-plugin.js'

/** package.json files larger than this are not read. */
const MAX_PACKAGE_JSON_BYTES = 4 * 1024 * 1024

function readJson(file: string): Record<string, unknown> | undefined {
  const read = readRegularFile(file, MAX_PACKAGE_JSON_BYTES)
  if ('error' in read) return undefined
  try {
    const value = JSON.parse(read.text) as unknown
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** The manifest file a package's `pepperpy.plugins` entry names, refusing paths outside the package. */
function manifestPath(dir: string, item: string): string | { error: string } {
  const file = resolve(dir, /\.ya?ml$/.test(item) ? item : join(item, 'plugin.yaml'))
  const rel = relative(dir, file)
  if (isAbsolute(item) || rel.startsWith('..') || isAbsolute(rel))
    return { error: `manifest path "${item}" leaves the package folder; it was ignored` }
  return file
}

/** The folder of package `name` as Node would find it from `cwd` (walking up node_modules). */
function packageDir(cwd: string, name: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    if (dirname(dir) === dir) return undefined
  }
}

/** The nearest folder at or above `cwd` holding a package.json (the project root), if any. */
export function projectRoot(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) return undefined
  }
}

/** What the app's package.json says about plugin packages. */
export interface PackagePlugins {
  origins: ManifestOrigin[]
  /** The app's package.json, when one was found. */
  appFile?: string
  /** `"pepperpy": { "prefer": { "llm/openai": "<package>" } }`: which package wins a `type/provider` two packages declare. */
  prefer: Record<string, string>
}

/** The app's `pepperpy.prefer` map, with an error diagnostic when it is not a map of strings. */
function preferOf(app: Record<string, unknown>, file: string, diagnostics: Diagnostic[]): Record<string, string> {
  const prefer = (app['pepperpy'] as { prefer?: unknown } | undefined)?.prefer
  const out: Record<string, string> = Object.create(null)
  if (prefer === undefined) return out
  if (typeof prefer !== 'object' || prefer === null || Array.isArray(prefer)) {
    diagnostics.push({
      file,
      field: 'pepperpy.prefer',
      severity: 'error',
      message: 'pepperpy.prefer must map "type/provider" to a package name',
    })
    return out
  }
  for (const [id, name] of Object.entries(prefer)) {
    if (typeof name === 'string') out[id] = name
    else
      diagnostics.push({ file, field: `pepperpy.prefer.${id}`, severity: 'error', message: `must be a package name (got ${typeof name})` })
  }
  return out
}

/**
 * Manifests declared by the app's dependencies: packages whose package.json has
 * `"pepperpy": { "plugins": [<path to plugin.yaml> | <manifest object>] }`. The app is the nearest
 * package.json at or above `cwd`, so running from a subfolder finds the same packages.
 */
export function packageManifests(cwd: string, diagnostics: Diagnostic[]): PackagePlugins {
  const root = projectRoot(cwd)
  const appFile = root === undefined ? undefined : join(root, 'package.json')
  const app = appFile === undefined ? undefined : readJson(appFile)
  if (!app || appFile === undefined || root === undefined) return { origins: [], prefer: Object.create(null) }
  cwd = root
  const names = new Set<string>()
  for (const field of ['dependencies', 'optionalDependencies'] as const) {
    const deps = app[field]
    if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) names.add(name)
  }
  const out: ManifestOrigin[] = []
  const prefer = preferOf(app, appFile, diagnostics)
  for (const name of [...names].sort()) {
    const dir = packageDir(cwd, name)
    if (!dir) continue
    const pkgFile = join(dir, 'package.json')
    const pkg = readJson(pkgFile)
    const declared = (pkg?.['pepperpy'] as { plugins?: unknown } | undefined)?.plugins
    if (declared === undefined) continue
    if (!Array.isArray(declared)) {
      diagnostics.push({
        file: pkgFile,
        field: 'pepperpy.plugins',
        severity: 'error',
        message: `pepperpy.plugins must be a list of plugin.yaml paths or manifest objects`,
      })
      continue
    }
    declared.forEach((item: unknown, i) => {
      const field = `pepperpy.plugins[${i}]`
      if (typeof item === 'string') {
        const where = manifestPath(dir, item)
        if (typeof where !== 'string' || !existsSync(where)) {
          diagnostics.push({
            file: pkgFile,
            field,
            severity: 'error',
            message: typeof where === 'string' ? `manifest ${item} does not exist in ${dir}` : where.error,
          })
          return
        }
        const { parsed, diagnostics: found } = readManifestFile(where)
        diagnostics.push(...found)
        if (parsed) {
          const mdir = dirname(where)
          const segs = mdir.slice(dir.length + 1).split(/[\\/]/)
          out.push({
            file: where,
            dir: mdir,
            segments: segs.slice(-2),
            source: 'package',
            raw: parsed.raw,
            manifest: parsed.manifest,
            packageName: name,
          })
        }
      } else {
        const { parsed, diagnostics: found } = checkManifest(item, pkgFile)
        diagnostics.push(...found.map((d) => ({ ...d, field: d.field ? `${field}.${d.field}` : field })))
        if (parsed)
          out.push({ file: pkgFile, dir, segments: [], source: 'package', raw: parsed.raw, manifest: parsed.manifest, packageName: name })
      }
    })
  }
  return { origins: out, appFile, prefer }
}
