import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Isolation } from '@pepperpy/isolation'
import { isolationSpecOf, permissionModelAvailable, type IsolationMode, type IsolationSpec } from '@pepperpy/isolation/spec'
import {
  describeError,
  type PluginClass,
  type PluginInfo,
  type PluginManifest,
  type PluginResolver,
  type ResolvedPlugin,
} from '@pepperpy/plugin'
import type { LocatedPlugin, PluginRegistry } from '@pepperpy/registry'

/** Options the umbrella passes to {@link isolatingResolver}. */
export interface IsolationWiring {
  /** The system's default for plugins with an entry point. @default 'none' */
  isolation?: IsolationMode | undefined
  initTimeoutMs?: number | undefined
  cleanupTimeoutMs?: number | undefined
  env: Record<string, string | undefined>
}

/** The resolver the manager and `createProviderInstance` use: isolated plugins resolve to their host-side class, the rest as before. */
export interface IsolatingResolver extends PluginResolver {
  /** Ends every isolate this system started (nothing to do when none was). */
  disposeIsolation(): Promise<void>
  /** True when discovered `type/provider` runs isolated (its code must never load in the host, hot reload included). */
  isIsolated(type: string, provider: string): boolean
}

/**
 * Wraps `registry` so a discovered plugin whose manifest (or the system default) says `worker` or
 * `process` resolves to a host-side class running it in its own isolate; its code is never loaded
 * in the host. Registered classes, `isolation: none` and everything else resolve as before.
 */
export function isolatingResolver(registry: PluginRegistry, wiring: IsolationWiring): IsolatingResolver {
  // the isolation runtime is loaded on the first isolated plugin only
  let isolation: Promise<Isolation> | undefined
  const iso = (): Promise<Isolation> =>
    (isolation ??= import('@pepperpy/isolation').then(({ createIsolation }) =>
      createIsolation({
        loader: moduleFile('@pepperpy/registry', 'registry/src/module-loader.ts'),
        sharedModules: {
          '@pepperpy/extensions': moduleFile('@pepperpy/extensions', 'extensions/src/index.ts'),
          '@pepperpy/resources': moduleFile('@pepperpy/resources', 'resources/src/index.ts'),
        },
        env: wiring.env,
        ...(wiring.initTimeoutMs === undefined ? {} : { initTimeoutMs: wiring.initTimeoutMs }),
        ...(wiring.cleanupTimeoutMs === undefined ? {} : { cleanupTimeoutMs: wiring.cleanupTimeoutMs }),
      }),
    ))
  const classes = new Map<string, { version: string; Class: PluginClass }>()

  const classOf = async (located: LocatedPlugin, spec: IsolationSpec): Promise<PluginClass> => {
    const base = {
      type: located.type,
      provider: located.provider,
      dir: located.dir,
      file: located.entryFile,
      ...(located.exportName ? { exportName: located.exportName } : {}),
      spec,
      dependencies: located.dependencies,
    }
    const methods = await (await iso()).describe(base)
    const key = `${located.type}/${located.provider}`
    const version = JSON.stringify([methods, spec, located.entryFile, located.exportName])
    const hit = classes.get(key)
    if (hit?.version === version) return hit.Class
    const Class = (await iso()).classFor({ ...base, methods })
    classes.set(key, { version, Class })
    return Class
  }

  return {
    async disposeIsolation() {
      if (isolation) await (await isolation).dispose()
    },
    async resolve(type, provider, config = {}): Promise<ResolvedPlugin> {
      const located = registry.locate(type, provider)
      const spec = located && specOf(located.manifest, located.dir, wiring.isolation, located.info)
      if (!located || !spec || spec.mode === 'none') return registry.resolve(type, provider, config)
      const resolved = registry.resolveWith(type, provider, config, await classOf(located, spec))
      if (!resolved) return registry.resolve(type, provider, config)
      // the isolate loads the newest code on each start; the host never swaps in-process code for it
      return { ...resolved, hotReload: false }
    },
    isIsolated(type, provider) {
      const located = registry.locate(type, provider)
      if (!located) return false
      try {
        return specOf(located.manifest, located.dir, wiring.isolation, located.info).mode !== 'none'
      } catch {
        return true
      }
    },
    resolveNow: (type, provider, config) => registry.resolveNow(type, provider, config),
    has: (type, provider) => registry.has(type, provider),
    satisfies: (version, range) => registry.satisfies(version, range),
  }
}

/** What `pepperpy info` and `doctor` show about a plugin's isolation. */
export interface IsolationReport {
  mode: IsolationMode
  memoryMb?: number
  callTimeoutMs?: number
  restart?: { max: number; windowMs: number }
  /** Effective permissions (the plugin folder is always readable); undefined in-process. */
  permissions?: { fsRead: string[]; fsWrite: string[]; childProcess: boolean; worker: boolean }
  /** What the platform does not enforce. */
  notEnforced: string[]
  /** Why the plugin cannot start isolated, when it cannot (a bad field, no permission model). */
  problem?: string
}

/**
 * The isolation of a plugin as the system would run it (`defaultMode` for plugins with an entry point).
 * @param info a plugin from `listPlugins()`
 * @returns mode, limits, effective permissions and what is not enforced
 */
export function isolationReport(info: PluginInfo, defaultMode: IsolationMode = 'none'): IsolationReport {
  const manifest = info.manifest ?? ({} as PluginManifest)
  const dir = info.manifestPath ? dirname(info.manifestPath) : process.cwd()
  const hasCode = info.source !== 'registered' && typeof manifest.entry_point === 'string'
  let spec: IsolationSpec
  try {
    spec = isolationSpecOf(manifest as Record<string, unknown>, dir, hasCode ? defaultMode : 'none', info.manifestPath)
  } catch (error) {
    return { mode: 'none', notEnforced: [], problem: describeError(error) }
  }
  if (spec.mode === 'none' || !hasCode) return { mode: 'none', notEnforced: [] }
  const p = spec.permissions
  return {
    mode: spec.mode,
    ...(spec.memoryMb ? { memoryMb: spec.memoryMb } : {}),
    callTimeoutMs: spec.callTimeoutMs,
    restart: spec.restart,
    permissions: { fsRead: [dir, ...p.fsRead], fsWrite: p.fsWrite, childProcess: p.childProcess, worker: p.worker },
    notEnforced: ['network (Node 20 has no network permission)'],
    ...(permissionModelAvailable()
      ? {}
      : { problem: `this Node (${process.version}) has no permission model; the plugin cannot start isolated` }),
  }
}

function specOf(manifest: PluginManifest, dir: string, fallback: IsolationMode | undefined, info: PluginInfo): IsolationSpec {
  return isolationSpecOf(manifest as Record<string, unknown>, dir, fallback ?? 'none', info.manifestPath)
}

/** A workspace package's module: its TypeScript source when this file runs from sources, else the built entry. */
function moduleFile(pkg: string, source: string): string {
  if (import.meta.url.endsWith('.ts')) return fileURLToPath(new URL(`../../${source}`, import.meta.url))
  return createRequire(import.meta.url).resolve(pkg)
}
