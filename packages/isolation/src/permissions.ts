import { dirname, join } from 'node:path'
import type { IsolationSpec } from './spec.js'

/** The permission flags of one isolated plugin, for the worker's or the child process's `execArgv`. */
export interface PermissionPlan {
  /** Node flags: `--experimental-permission`, one `--allow-fs-read=`/`--allow-fs-write=` per path, grants. */
  flags: string[]
  /** Every readable path: the plugin folder, the runtime's modules, then `fs_read`. */
  read: string[]
  write: string[]
  childProcess: boolean
  worker: boolean
}

/**
 * Computes the permission flags of a plugin in `dir`: the folder is always readable, and so are
 * the `node_modules` folders above it (where its imports resolve) and `runtimePaths` (the modules the isolation runtime and the plugin's loader need); nothing else is
 * readable or writable unless granted; workers and child processes only when granted.
 * @throws Error naming the permission when this Node cannot enforce permissions
 */
export function permissionPlan(spec: IsolationSpec, dir: string, runtimePaths: readonly string[]): PermissionPlan {
  if (!permissionModelAvailable())
    throw new Error(
      `permissions cannot be enforced: this Node (${process.version}) has no permission model (--experimental-permission); isolated plugins need Node >= 20`,
    )
  const read = unique([dir, ...moduleFolders(dir), ...runtimePaths, ...spec.permissions.fsRead])
  const write = unique(spec.permissions.fsWrite)
  const flags = ['--experimental-permission', ...read.map((p) => `--allow-fs-read=${p}`), ...write.map((p) => `--allow-fs-write=${p}`)]
  if (spec.permissions.childProcess) flags.push('--allow-child-process')
  if (spec.permissions.worker) flags.push('--allow-worker')
  return { flags, read, write, childProcess: spec.permissions.childProcess, worker: spec.permissions.worker }
}

/** True when this Node has the permission model (Node 20: `--experimental-permission`). */
export function permissionModelAvailable(): boolean {
  return process.allowedNodeEnvironmentFlags.has('--experimental-permission')
}

/** The `node_modules` folders above `dir`, where the plugin's own imports resolve (Node checks each on the way up). */
export function moduleFolders(dir: string): string[] {
  const out: string[] = []
  for (let d = dirname(dir); ; d = dirname(d)) {
    out.push(join(d, 'node_modules'))
    if (dirname(d) === d) return out
  }
}

function unique(paths: readonly string[]): string[] {
  return [...new Set(paths)]
}
