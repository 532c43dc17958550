import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { channels, describeError, HotReloadError, PluginInitError } from '@pepperpy/plugin'
import { type HotReloadHost, type HotReloadTarget, pluginIdOf } from '@pepperpy/plugin/spi'
import { channelTracer } from '@pepperpy/plugin/spi'
import { createReloadEvents, type ReloadEvents } from '../internal/reload-events.js'
import { createReloadScheduler } from '../internal/reload-scheduler.js'
import { pickExport, pluginExports } from '../internal/pick-export.js'
import { swapInstances } from '../internal/swap-instances.js'
import { createWatchFilter } from '../internal/watch-filter.js'

/** Options of {@link startHotReload}. */
export interface HotReloadOptions {
  /** Extra folders to watch; a change there (outside every plugin folder) reloads every target. */
  paths?: string[]
  /** Quiet time after the last change of a plugin's files before reloading it. @default 100 */
  debounceMs?: number
  /** Longest wait for calls still running on a replaced instance before it is cleaned up anyway. @default 30000 */
  drainTimeoutMs?: number
  /** The plugin system to act on. @default the default system of @pepperpy/plugins */
  host?: HotReloadHost
}

/** A running hot reloader. */
export interface HotReloadHandle {
  /** Resolves when the watcher has scanned the folders and is watching. */
  ready: Promise<void>
  /** Stops watching; waits for a reload in progress and for replaced instances to be cleaned up. */
  stop(): Promise<void>
  /** `reload`: new code of `pluginId` is serving. `error`: a reload failed; the old code keeps serving. */
  on(event: 'reload', fn: (e: { pluginId: string }) => void): void
  on(event: 'error', fn: (e: { pluginId?: string; error: Error }) => void): void
}

const HOST_KEY = Symbol.for('pepperpy.hotReloadHost')
const reloading = channelTracer(channels.reload)
/** How often the watched folders are compared with the host's targets (plugins registered later). */
const REFRESH_MS = 1000

function defaultHost(): HotReloadHost {
  const get = (globalThis as { [HOST_KEY]?: () => HotReloadHost })[HOST_KEY]
  if (!get) throw new HotReloadError('no plugin system to reload: use startHotReload from @pepperpy/plugins, or pass { host }')
  return get()
}

const idOf = (t: HotReloadTarget): string => pluginIdOf(t.type, t.provider)
/** The inode of a folder, or undefined when it does not exist (now). */
const inodeOf = (dir: string): string | undefined => {
  try {
    const st = statSync(dir)
    return `${st.dev}:${st.ino}:${st.birthtimeMs}` // the inode number alone may be reused at once
  } catch {
    return undefined
  }
}
/** The first line of what was thrown (for a failed `initialize()`, what the plugin itself threw). */
const thrownLine = (error: unknown): string => {
  const thrown = error instanceof PluginInitError && error.cause !== undefined ? error.cause : error
  const line = describeError(thrown).split('\n')[0] ?? ''
  return thrown instanceof SyntaxError ? `SyntaxError: ${line}` : line
}

async function reload(
  host: HotReloadHost,
  target: HotReloadTarget,
  events: ReloadEvents,
  drainTimeoutMs: number,
  finishing: Set<Promise<void>>,
): Promise<HotReloadError | undefined> {
  const id = idOf(target)
  const fail = (error: HotReloadError): HotReloadError => {
    events.error(error, id)
    return error
  }
  let ns: Record<string, unknown>
  try {
    ns = await host.loader.load(target.entryFile, { fresh: true })
  } catch (error) {
    return fail(
      new HotReloadError(`cannot load the new code of ${id} from ${target.entryFile}: ${thrownLine(error)}; the old code keeps serving`, {
        cause: error,
        pluginId: id,
      }),
    )
  }
  const Class = pickExport(ns, target.exportName)
  if (!Class) {
    const found = pluginExports(ns)
    return fail(
      new HotReloadError(
        `the new code of ${id} has no plugin class "${target.exportName ?? 'default'}" in ${target.entryFile} (plugin classes exported: ${found.join(', ') || 'none'}); the old code keeps serving`,
        { pluginId: id },
      ),
    )
  }
  try {
    const { finished } = await swapInstances(host.liveInstances(target.type, target.provider), Class, host.logger, drainTimeoutMs)
    host.replaceClass(target.type, target.provider, Class)
    finishing.add(finished)
    void finished.finally(() => finishing.delete(finished))
  } catch (error) {
    return fail(
      new HotReloadError(`the new code of ${id} failed to initialize (${thrownLine(error)}); the old instance keeps serving`, {
        cause: error,
        pluginId: id,
      }),
    )
  }
  events.reload(id)
  return undefined
}

/** {@link reload}, traced on `pepperpy:reload` when someone listens (a failure, already reported, sets the trace's error). */
function tracedReload(...args: Parameters<typeof reload>): Promise<void> {
  const [, target] = args
  if (!reloading.active) return reload(...args).then(() => undefined)
  const context = { pluginId: idOf(target), type: target.type, provider: target.provider, file: target.entryFile }
  return reloading
    .tracePromise(context, async () => {
      const failure = await reload(...args)
      if (failure) throw failure
    })
    .catch(() => {})
}

/**
 * Watches hot-reloadable plugins (manifests with `hot_reload: true`, classes marked with
 * `hotReloadablePlugin`) and, on a change, imports the new code fresh, swaps every live instance
 * (same config, state carried, initialized before calls are routed to it), re-registers the class,
 * then cleans up the old instances once their running calls finish. Bad new code leaves the old
 * instances serving and emits `error`. chokidar is loaded on first use.
 * @throws HotReloadError when no `host` is given and no default plugin system is installed
 * @example
 * const watcher = await startHotReload({ debounceMs: 100 })
 * watcher.on('error', ({ pluginId, error }) => console.error(pluginId, error.message))
 * await watcher.ready
 */
export async function startHotReload(options: HotReloadOptions = {}): Promise<HotReloadHandle> {
  const host = options.host ?? defaultHost()
  const drainTimeoutMs = options.drainTimeoutMs ?? 30_000
  const events = createReloadEvents(host.logger)
  const finishing = new Set<Promise<void>>()
  const extra = options.paths ?? []
  const scheduler = createReloadScheduler({
    debounceMs: options.debounceMs ?? 100,
    run: (target) => tracedReload(host, target, events, drainTimeoutMs, finishing),
    onError: (error, target) =>
      events.error(
        new HotReloadError(`hot reload of ${idOf(target)} failed: ${thrownLine(error)}`, { cause: error, pluginId: idOf(target) }),
        idOf(target),
      ),
  })
  const targets = (): HotReloadTarget[] => {
    try {
      return host.targets()
    } catch (error) {
      events.error(new HotReloadError(`cannot list hot-reloadable plugins: ${thrownLine(error)}`, { cause: error }))
      return []
    }
  }
  const onChange = (file: string): void => scheduler.changed(file, targets(), extra)

  const { watch } = await import('chokidar')
  const dirsOf = (list: HotReloadTarget[]): string[] => [...new Set([...list.map((t) => t.dir), ...extra])]
  const watched = new Set(dirsOf(targets()).map((d) => resolve(d)))
  const watcher = watch([...watched], { ignoreInitial: true, ignored: createWatchFilter(watched) })
  watcher.on('add', onChange).on('change', onChange).on('unlink', onChange)
  watcher.on('error', (error: unknown) => events.error(new HotReloadError(`file watcher failed: ${thrownLine(error)}`, { cause: error })))
  // chokidar never reports ready for an empty list; folders added later are watched as they come
  const ready = watched.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  // a folder deleted and recreated, or renamed away with another renamed into its place (what
  // `git checkout` does), is a new inode that the watcher no longer follows: watch it again and
  // reload its plugins, whose files changed while nobody watched
  const inodes = new Map<string, string | undefined>()
  for (const d of watched) inodes.set(d, inodeOf(d))
  const refresh = setInterval(() => {
    try {
      const list = targets()
      const added = dirsOf(list)
        .map((d) => resolve(d))
        .filter((d) => !watched.has(d))
      for (const d of added) {
        watched.add(d)
        inodes.set(d, inodeOf(d))
      }
      if (added.length > 0) watcher.add(added)
      for (const [d, before] of inodes) {
        const now = inodeOf(d)
        if (now === before) continue
        inodes.set(d, now)
        if (now === undefined) continue // gone for now: looked at again on the next tick
        watcher.unwatch(d)
        watcher.add(d)
        for (const t of list) if (resolve(t.dir) === d) onChange(t.entryFile)
      }
    } catch (error) {
      events.error(new HotReloadError(`re-checking the watched folders failed: ${thrownLine(error)}`, { cause: error }))
    }
  }, REFRESH_MS)
  refresh.unref()

  return {
    ready,
    async stop() {
      clearInterval(refresh)
      await scheduler.stop()
      await watcher.close()
      await Promise.allSettled([...finishing])
    },
    on: events.on,
  }
}
