import { isAbsolute, resolve } from 'node:path'
import { ManifestError } from '@pepperpy/plugin'

/** Where a plugin runs: in the host's thread, in a worker thread, or in a child process. */
export type IsolationMode = 'none' | 'worker' | 'process'

/** What an isolated plugin may touch (Node's permission model); paths are absolute. */
export interface Permissions {
  fsRead: string[]
  fsWrite: string[]
  childProcess: boolean
  worker: boolean
}

/** The isolation settings of one plugin, from its manifest and the system's default. */
export interface IsolationSpec {
  mode: IsolationMode
  /** `limits.memory_mb`: the V8 old-generation limit. */
  memoryMb?: number
  /** `limits.call_timeout_ms`: each call into the plugin. @default 30000 */
  callTimeoutMs: number
  /** `restart.max` crashes within `restart.window_ms` disable the plugin. @default 3 in 300000 ms */
  restart: { max: number; windowMs: number }
  permissions: Permissions
  /** True when the manifest has a `permissions:` field. */
  permissionsDeclared: boolean
}

const MODES: readonly IsolationMode[] = ['none', 'worker', 'process']

/**
 * Reads `isolation`, `limits`, `restart` and `permissions` of a manifest; `fallback` is the mode
 * when the manifest says none. Paths resolve against `dir` (the plugin folder).
 * @throws ManifestError naming the file and field for a value of the wrong kind
 */
export function isolationSpecOf(
  manifest: Readonly<Record<string, unknown>>,
  dir: string,
  fallback: IsolationMode = 'none',
  file?: string,
): IsolationSpec {
  const fail = (field: string, message: string): never => {
    throw new ManifestError(`${file ?? dir}: ${field} ${message}`, { ...(file ? { file } : {}), field })
  }
  const mode = manifest['isolation'] ?? fallback
  if (!MODES.includes(mode as IsolationMode)) fail('isolation', `must be one of none, worker, process (got ${JSON.stringify(mode)})`)
  const limits = objectAt(manifest, 'limits', fail)
  const restart = objectAt(manifest, 'restart', fail)
  const perms = objectAt(manifest, 'permissions', fail)
  const positive = (o: Record<string, unknown>, key: string, field: string): number | undefined => {
    const v = o[key]
    if (v === undefined || v === null) return undefined
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(field, `must be a positive number (got ${JSON.stringify(v)})`)
    return v as number
  }
  const paths = (key: string): string[] => {
    const v = perms[key]
    if (v === undefined || v === null) return []
    if (!Array.isArray(v) || v.some((p) => typeof p !== 'string' || p === ''))
      fail(`permissions.${key}`, 'must be a list of paths (relative to the plugin folder or absolute)')
    return (v as string[]).map((p) => (isAbsolute(p) ? p : resolve(dir, p)))
  }
  const flag = (key: string): boolean => {
    const v = perms[key]
    if (v === undefined || v === null) return false
    if (typeof v !== 'boolean') fail(`permissions.${key}`, `must be true or false (got ${JSON.stringify(v)})`)
    return v as boolean
  }
  for (const key of Object.keys(perms))
    if (!['fs_read', 'fs_write', 'child_process', 'worker'].includes(key))
      fail(
        `permissions.${key}`,
        'is not a permission Node can enforce (known: fs_read, fs_write, child_process, worker; Node 20 has no network permission)',
      )
  const memoryMb = positive(limits, 'memory_mb', 'limits.memory_mb')
  return {
    mode: mode as IsolationMode,
    ...(memoryMb === undefined ? {} : { memoryMb }),
    callTimeoutMs: positive(limits, 'call_timeout_ms', 'limits.call_timeout_ms') ?? 30_000,
    restart: {
      max: positive(restart, 'max', 'restart.max') ?? 3,
      windowMs: positive(restart, 'window_ms', 'restart.window_ms') ?? 300_000,
    },
    permissions: { fsRead: paths('fs_read'), fsWrite: paths('fs_write'), childProcess: flag('child_process'), worker: flag('worker') },
    permissionsDeclared: manifest['permissions'] !== undefined && manifest['permissions'] !== null,
  }
}

function objectAt(
  m: Readonly<Record<string, unknown>>,
  key: string,
  fail: (field: string, message: string) => never,
): Record<string, unknown> {
  const v = m[key]
  if (v === undefined || v === null) return {}
  if (typeof v !== 'object' || Array.isArray(v)) fail(key, 'must be a mapping')
  return v as Record<string, unknown>
}
