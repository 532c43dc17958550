import { lstatSync, realpathSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'

/** File extensions an entry module may have, in the order they are tried. */
export const ENTRY_EXTENSIONS: readonly string[] = ['.ts', '.mts', '.js', '.mjs', '.cjs']

/** An entry point split into module path and export name. */
export interface EntryPoint {
  module: string
  /** The export; undefined means the default export. */
  exportName?: string
}

/** Where an entry point leads, or why it cannot be used. */
export type EntryResolution =
  | { ok: true; file: string; exportName?: string }
  | { ok: false; severity: 'error' | 'warning'; message: string; tried: string[]; exportName?: string }

/** Splits `"<module>:<export>"`; the export part is optional. */
export function parseEntryPoint(entry: string): EntryPoint {
  const i = entry.lastIndexOf(':')
  if (i <= 0) return { module: entry }
  if (i === entry.length - 1) return { module: entry.slice(0, -1) }
  // a Windows drive ("C:\\x") is not an export separator: an export name never starts with a slash
  if (/^[\\/]/.test(entry.slice(i + 1))) return { module: entry }
  return { module: entry.slice(0, i), exportName: entry.slice(i + 1) }
}

const inside = (dir: string, file: string): boolean => {
  const rel = relative(dir, file)
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)
}

/**
 * Resolves an entry point against the plugin folder `dir`, refusing paths that escape it
 * (`..`, absolute paths, symlinks out) before anything is imported.
 */
export function resolveEntryPoint(dir: string, entry: string): EntryResolution {
  const { module, exportName } = parseEntryPoint(entry.trim())
  const named = exportName === undefined ? {} : { exportName }
  if (isAbsolute(module) || /^[A-Za-z]:[\\/]/.test(module)) {
    return { ok: false, severity: 'error', message: `entry point "${entry}" is an absolute path; use a path relative to the plugin folder`, tried: [], ...named }
  }
  const base = resolve(dir, module)
  const self = base === resolve(dir) // "." or "./": the folder's own index.*
  if (!self && !inside(dir, base)) {
    return { ok: false, severity: 'error', message: `entry point "${entry}" escapes the plugin folder; it was not imported`, tried: [], ...named }
  }
  const hasExt = ENTRY_EXTENSIONS.some((ext) => module.endsWith(ext))
  const index = ENTRY_EXTENSIONS.map((ext) => join(base, `index${ext}`))
  const tried = self ? index : hasExt ? [base] : [...ENTRY_EXTENSIONS.map((ext) => base + ext), ...index]
  let found: string | undefined
  let symlink = false
  for (const f of tried) {
    const link = lstatSync(f, { throwIfNoEntry: false })
    if (!link) continue
    symlink = link.isSymbolicLink()
    if (symlink ? statSync(f, { throwIfNoEntry: false })?.isFile() === true : link.isFile()) {
      found = f
      break
    }
  }
  if (!found) {
    const python = !hasExt && exportName === undefined && /^[\w]+\.[A-Z]\w*$/.test(module)
    const hint = python
      ? ` (it looks like a Python entry point; write it as "${module.split('.')[0]}.ts:${module.split('.')[1]}")`
      : ''
    return { ok: false, severity: 'warning', message: `entry module not found for "${entry}"${hint}; tried ${tried.map((t) => relative(dir, t)).join(', ')}`, tried, ...named }
  }
  // a regular file directly in the folder cannot lead out of it; anything else is checked by real paths
  if (dirname(found) === resolve(dir) && !symlink) return { ok: true, file: found, ...named }
  const realDir = realpathSync(dir)
  const realFile = realpathSync(found)
  if (!inside(realDir, realFile)) {
    return { ok: false, severity: 'error', message: `entry point "${entry}" resolves through a symlink outside the plugin folder (${realFile}); it was not imported`, tried, ...named }
  }
  return { ok: true, file: found, ...named }
}
