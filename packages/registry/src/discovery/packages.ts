import { existsSync, readFileSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import type { Diagnostic } from '@pepperpy/plugin'
import { checkManifest, readManifestFile } from '../manifest/parse-manifest.js'
import type { ManifestOrigin } from './to-plugin.js'

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown
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

/**
 * Manifests declared by the app's dependencies: packages whose package.json has
 * `"pepperpy": { "plugins": [<path to plugin.yaml> | <manifest object>] }`.
 */
export function packageManifests(cwd: string, diagnostics: Diagnostic[]): ManifestOrigin[] {
  const app = readJson(join(cwd, 'package.json'))
  if (!app) return []
  const names = new Set<string>()
  for (const field of ['dependencies', 'optionalDependencies'] as const) {
    const deps = app[field]
    if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) names.add(name)
  }
  const out: ManifestOrigin[] = []
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
          out.push({ file: where, dir: mdir, segments: segs.slice(-2), source: 'package', raw: parsed.raw, manifest: parsed.manifest })
        }
      } else {
        const { parsed, diagnostics: found } = checkManifest(item, pkgFile)
        diagnostics.push(...found.map((d) => ({ ...d, field: d.field ? `${field}.${d.field}` : field })))
        if (parsed) out.push({ file: pkgFile, dir, segments: [], source: 'package', raw: parsed.raw, manifest: parsed.manifest })
      }
    })
  }
  return out
}
