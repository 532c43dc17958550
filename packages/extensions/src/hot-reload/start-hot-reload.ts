import { statSync } from 'node:fs'
import { relative, sep } from 'node:path'
import {
  HotReloadError, isPluginClass,
  type HotReloadHost, type HotReloadTarget, type LiveInstance, type PepperpyPlugin, type PluginClass,
} from '@pepperpy/plugin'
import { flushState, persistedFields } from '../persistence/persistent-plugin.js'
import { defaultStateFields } from '../persistence/state-fields.js'

/** Options of {@link startHotReload}. */
export interface HotReloadOptions {
  /** Extra folders to watch; a change there reloads every target. */
  paths?: string[]
  /** Quiet time after the last change of a plugin's files before reloading it. @default 100 */
  debounceMs?: number
  /** The plugin system to act on. @default the default system of @pepperpy/plugins */
  host?: HotReloadHost
}

/** A running hot reloader. */
export interface HotReloadHandle {
  /** Resolves when the watcher has scanned the folders and is watching. */
  ready: Promise<void>
  /** Stops watching; waits for a reload in progress. */
  stop(): Promise<void>
  on(event: 'reload', fn: (e: { pluginId: string }) => void): void
  on(event: 'error', fn: (e: { pluginId?: string; error: Error }) => void): void
}

const HOST_KEY = Symbol.for('pepperpy.hotReloadHost')

/** Size and mtime of each file, to tell whether any changed. */
function fingerprint(files: readonly string[]): string {
  return files
    .map((f) => {
      try {
        const s = statSync(f)
        return `${s.size}:${s.mtimeMs}`
      } catch {
        return 'gone'
      }
    })
    .join('|')
}
function defaultHost(): HotReloadHost {
  const get = (globalThis as { [HOST_KEY]?: () => HotReloadHost })[HOST_KEY]
  if (!get) throw new HotReloadError('no plugin system to reload: use startHotReload from @pepperpy/plugins, or pass { host }')
  return get()
}

/** The state carried to the new instance: its persisted fields, else its own non-config JSON data fields. */
function carriedFields(old: PepperpyPlugin): string[] {
  return persistedFields(old) ?? defaultStateFields(old)
}

async function swapOne(live: LiveInstance, Class: PluginClass): Promise<void> {
  const old = live.current
  await flushState(old)
  const next = live.recreate(Class)
  for (const f of carriedFields(old)) {
    if (Object.hasOwn(next, f)) (next as unknown as Record<string, unknown>)[f] = (old as unknown as Record<string, unknown>)[f]
  }
  if (old.initialized) {
    try {
      await next.initialize()
    } catch (error) {
      await next.cleanup().catch(() => {})
      throw error
    }
  }
  await live.swap(next)
  await old.cleanup()
}

/**
 * Watches hot-reloadable plugins (manifests with `hot_reload: true`, classes marked with
 * `hotReloadablePlugin`) and, on a change, imports the new code fresh, re-registers the class and
 * swaps every live instance (same config, state carried, initialized before the swap). Bad new
 * code leaves the old instance serving and emits `error`. chokidar is loaded on first use.
 */
export async function startHotReload(options: HotReloadOptions = {}): Promise<HotReloadHandle> {
  const host = options.host ?? defaultHost()
  const debounceMs = options.debounceMs ?? 100
  const listeners = { reload: new Set<(e: { pluginId: string }) => void>(), error: new Set<(e: { pluginId?: string; error: Error }) => void>() }
  const timers = new Map<string, NodeJS.Timeout>()
  const running = new Map<string, Promise<void>>()
  let stopped = false

  const emitError = (error: Error, pluginId?: string): void => {
    if (listeners.error.size === 0) host.logger.error(`hot reload${pluginId ? ` of ${pluginId}` : ''} failed: ${error.message}`)
    for (const fn of listeners.error) fn(pluginId === undefined ? { error } : { pluginId, error })
  }

  const reload = async (target: HotReloadTarget): Promise<void> => {
    const id = `${target.type}/${target.provider}`
    let ns: Record<string, unknown>
    try {
      ns = await host.loader.load(target.entryFile, { fresh: true })
    } catch (error) {
      emitError(new HotReloadError(`cannot load the new code of ${id} from ${target.entryFile}: ${(error as Error).message.split('\n')[0]}; the old code keeps serving`, { cause: error, pluginId: id }), id)
      return
    }
    const Class = ns[target.exportName ?? 'default']
    if (!isPluginClass(Class)) {
      emitError(new HotReloadError(`the new code of ${id} has no plugin class "${target.exportName ?? 'default'}" in ${target.entryFile}; the old code keeps serving`, { pluginId: id }), id)
      return
    }
    host.replaceClass(target.type, target.provider, Class)
    const failures: unknown[] = []
    for (const live of host.liveInstances(target.type, target.provider)) {
      try {
        await swapOne(live, Class)
      } catch (error) {
        failures.push(error)
      }
    }
    if (failures.length > 0) {
      const first = failures[0] as Error
      emitError(new HotReloadError(`the new code of ${id} failed to initialize (${first.message}); the old instance keeps serving`, { cause: first, pluginId: id }), id)
      return
    }
    for (const fn of listeners.reload) fn({ pluginId: id })
  }

  const touched = new Map<string, Set<string>>()
  const verifiers = new Set<NodeJS.Timeout>()
  const schedule = (target: HotReloadTarget, file: string = target.entryFile): void => {
    const id = `${target.type}/${target.provider}`
    let files = touched.get(id)
    if (!files) touched.set(id, (files = new Set([target.entryFile])))
    files.add(file)
    clearTimeout(timers.get(id))
    timers.set(
      id,
      setTimeout(() => {
        timers.delete(id)
        const watched = [...(touched.get(id) ?? [])]
        const previous = running.get(id) ?? Promise.resolve()
        const next = previous.then(async () => {
          if (stopped) return
          // chokidar drops a second change of a file within 50 ms: compare the files after the
          // reload with what was there before it, and go again when they moved on meanwhile
          const before = fingerprint(watched)
          await reload(target)
          const verify = setTimeout(() => {
            verifiers.delete(verify)
            if (!stopped && fingerprint(watched) !== before) schedule(target)
          }, 60)
          verifiers.add(verify)
        })
        running.set(id, next)
        void next.finally(() => {
          if (running.get(id) === next) running.delete(id)
        })
      }, debounceMs),
    )
  }

  const within = (dir: string, file: string): boolean => {
    const rel = relative(dir, file)
    return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith('/'))
  }

  const onChange = (file: string): void => {
    if (stopped) return
    const targets = host.targets()
    const hit = targets.filter((t) => within(t.dir, file))
    const extra = (options.paths ?? []).some((p) => within(p, file))
    for (const t of hit.length > 0 ? hit : extra ? targets : []) schedule(t, file)
  }

  const { watch } = await import('chokidar')
  const dirs = [...new Set([...host.targets().map((t) => t.dir), ...(options.paths ?? [])])]
  const watcher = watch(dirs, {
    ignoreInitial: true,
    ignored: (path: string) => /(^|[\\/])(node_modules|\.git)([\\/]|$)|\.tmp$|~$/.test(path),
  })
  watcher.on('add', onChange).on('change', onChange).on('unlink', onChange)
  watcher.on('error', (error: unknown) => emitError(error instanceof Error ? error : new Error(String(error))))
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()))

  return {
    ready,
    async stop() {
      stopped = true
      for (const t of [...timers.values(), ...verifiers]) clearTimeout(t)
      timers.clear()
      verifiers.clear()
      await watcher.close()
      await Promise.allSettled([...running.values()])
    },
    on(event: 'reload' | 'error', fn: (e: never) => void): void {
      ;(listeners[event] as Set<(e: never) => void>).add(fn)
    },
  } as HotReloadHandle
}
