import { lstatSync, realpathSync, statSync, type Dirent } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'

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

/** A module that is one file name in the plugin folder: no separator, not `.` or `..`. */
const PLAIN_NAME = /^(?!\.\.?$)[\w.-]+$/

/** `module` resolved in the (resolved) `folder`; a plain file name is appended instead of resolved anew. */
function modulePath(folder: string, module: string, plain: boolean): string {
  if (!plain) return resolve(folder, module)
  return folder.endsWith(sep) ? folder + module : folder + sep + module
}

/** The files an entry module may be, in the order they are tried. */
function candidates(base: string, self: boolean, hasExt: boolean): string[] {
  if (hasExt && !self) return [base]
  const files = self ? [] : ENTRY_EXTENSIONS.map((ext) => base + ext)
  for (const ext of ENTRY_EXTENSIONS) files.push(join(base, `index${ext}`))
  return files
}

/**
 * What the folder's `listing` (its readdir dirents, when the caller has them) says `path` is, where
 * it can say it without a system call: a regular file in the folder; or nothing, when no entry of
 * the folder has the name of `path` (or of the subfolder `path` is in), which an `lstat` would
 * report as not found too. Undefined when only an `lstat` can tell (symlinks, subfolders, paths
 * elsewhere, names too long for a file system).
 */
function listedKind(listing: readonly Dirent[] | undefined, folder: string, path: string): typeof NOT_FILE | typeof FILE | undefined {
  // a path no file system can hold gets its own error from lstat (ENAMETOOLONG): let it tell
  if (listing === undefined || path.length > 1024) return undefined
  const dir = dirname(path)
  if (dir === folder) {
    const name = basename(path)
    const entry = listing.find((e) => e.name === name)
    if (entry) return entry.isFile() ? FILE : undefined
    return absent(listing, name) ? NOT_FILE : undefined
  }
  if (dirname(dir) === folder) return absent(listing, basename(dir)) ? NOT_FILE : undefined
  return undefined
}

/**
 * True when `name` cannot be in the folder `listing` shows, on any file system: it is short ASCII
 * (no normalization or length error to expect from the system) and no entry matches it even
 * ignoring case (case-insensitive file systems find `Provider.ts` for `provider.ts`).
 */
function absent(listing: readonly Dirent[], name: string): boolean {
  if (name.length > 200 || !/^[\x20-\x7e]*$/.test(name)) return false
  const lower = name.toLowerCase()
  return !listing.some((e) => e.name.toLowerCase() === lower)
}

const NOT_FILE = 0
const FILE = 1
const LINKED_FILE = 2

/** What `path` is: not a file, a regular file, or a symlink to a file. */
function fileKind(path: string): typeof NOT_FILE | typeof FILE | typeof LINKED_FILE {
  const link = lstatSync(path, { throwIfNoEntry: false })
  if (!link) return NOT_FILE
  if (link.isSymbolicLink()) return statSync(path, { throwIfNoEntry: false })?.isFile() === true ? LINKED_FILE : NOT_FILE
  return link.isFile() ? FILE : NOT_FILE
}

/**
 * Resolves an entry point against the plugin folder `dir`, refusing paths that escape it
 * (`..`, absolute paths, symlinks out) before anything is imported.
 */
export function resolveEntryPoint(dir: string, entry: string): EntryResolution {
  return resolveEntryPointIn(dir, entry, undefined)
}

/**
 * {@link resolveEntryPoint} with `dir`'s readdir dirents when the caller has them: a candidate
 * they show as a regular file needs no lstat (anything else is checked on disk as before).
 */
export function resolveEntryPointIn(dir: string, entry: string, listing: readonly Dirent[] | undefined): EntryResolution {
  const { module, exportName } = parseEntryPoint(entry.trim())
  const named = exportName === undefined ? {} : { exportName }
  const refuse = (reason: string): EntryResolution => ({
    ok: false,
    severity: 'error',
    message: `entry point ${JSON.stringify(entry)} ${reason}${slashHint(module, exportName)}`,
    tried: [],
    ...named,
  })
  if (entry.includes('\0')) return refuse('contains a NUL byte; write it as "<module>:<export>", e.g. provider.ts:MyPlugin')
  try {
    return resolveIn(dir, entry, listing, module, exportName)
  } catch (error) {
    // an operating-system error about this one path (ENAMETOOLONG, ELOOP, ENOTDIR, EACCES...)
    const e = error as NodeJS.ErrnoException
    return refuse(`cannot be used: ${e.code ?? 'error'} (${e.message})`)
  }
}

/** "did you mean provider.ts:MyPlugin?" for `provider.ts/MyPlugin` (a `/` typed for the `:`). */
function slashHint(module: string, exportName: string | undefined): string {
  const m = exportName === undefined ? /^(.+\.(?:ts|mts|js|mjs|cjs))[\\/]([A-Za-z_$][\w$]*)$/.exec(module) : null
  return m ? `; did you mean "${m[1]}:${m[2]}"?` : ''
}

function resolveIn(
  dir: string,
  entry: string,
  listing: readonly Dirent[] | undefined,
  module: string,
  exportName: string | undefined,
): EntryResolution {
  const named = exportName === undefined ? {} : { exportName }
  if (isAbsolute(module) || /^[A-Za-z]:[\\/]/.test(module)) {
    return {
      ok: false,
      severity: 'error',
      message: `entry point "${entry}" is an absolute path; use a path relative to the plugin folder`,
      tried: [],
      ...named,
    }
  }
  const folder = resolve(dir)
  const plain = PLAIN_NAME.test(module)
  const base = modulePath(folder, module, plain)
  const self = base === folder // "." or "./": the folder's own index.*
  if (!self && !plain && !inside(folder, base)) {
    return {
      ok: false,
      severity: 'error',
      message: `entry point "${entry}" escapes the plugin folder; it was not imported`,
      tried: [],
      ...named,
    }
  }
  const hasExt = ENTRY_EXTENSIONS.some((ext) => module.endsWith(ext))
  const tried = candidates(base, self, hasExt)
  let found: string | undefined
  let symlink = false
  for (const f of tried) {
    const kind = listedKind(listing, folder, f) ?? fileKind(f)
    if (kind === NOT_FILE) continue
    found = f
    symlink = kind === LINKED_FILE
    break
  }
  if (!found) {
    const python = !hasExt && exportName === undefined && /^[\w]+\.[A-Z]\w*$/.test(module)
    const hint = python ? ` (it looks like a Python entry point; write it as "${module.split('.')[0]}.ts:${module.split('.')[1]}")` : ''
    return {
      ok: false,
      severity: 'warning',
      message: `entry module not found for "${entry}"${hint || slashHint(module, exportName)}; tried ${tried.map((t) => (t.startsWith(folder + sep) ? t.slice(folder.length + 1) : relative(dir, t))).join(', ')}`,
      tried,
      ...named,
    }
  }
  // a regular file directly in the folder cannot lead out of it; anything else is checked by real paths
  if (!symlink && dirname(found) === folder) return { ok: true, file: found, ...named }
  const realDir = realpathSync(dir)
  const realFile = realpathSync(found)
  if (!inside(realDir, realFile)) {
    return {
      ok: false,
      severity: 'error',
      message: `entry point "${entry}" resolves through a symlink outside the plugin folder (${realFile}); it was not imported`,
      tried,
      ...named,
    }
  }
  return { ok: true, file: found, ...named }
}
