import { statSync } from 'node:fs'
import { relative, isAbsolute, sep } from 'node:path'
import type { HotReloadTarget } from '@pepperpy/plugin/spi'

/** Options of {@link createReloadScheduler}. */
export interface ReloadSchedulerOptions {
  debounceMs: number
  /** Reloads one plugin; never runs twice at once for the same plugin. */
  run(target: HotReloadTarget): Promise<void>
  /** An unexpected failure of `run`. */
  onError(error: unknown, target: HotReloadTarget): void
}

/** Turns file events into debounced, per-plugin, serialized reloads. */
export interface ReloadScheduler {
  /** A file changed; schedules the plugins whose folder holds it (all of them for a file under `extra`). */
  changed(file: string, targets: readonly HotReloadTarget[], extra: readonly string[]): void
  /** Cancels pending reloads and waits for running ones. */
  stop(): Promise<void>
}

/** chokidar drops a second change of a file within ~50 ms; files are re-checked this long after a reload. */
const VERIFY_MS = 60

function within(dir: string, file: string): boolean {
  const rel = relative(dir, file)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/** Size and mtime of each file, to tell whether any changed. */
function fingerprint(files: Iterable<string>): string {
  const parts: string[] = []
  for (const f of files) {
    try {
      const s = statSync(f)
      parts.push(`${s.size}:${s.mtimeMs}`)
    } catch {
      parts.push('gone')
    }
  }
  return parts.join('|')
}

/**
 * Debounces file events per plugin (`debounceMs` of quiet), runs one reload per plugin at a time,
 * and re-checks the touched files shortly after each reload, going again when they moved on
 * meanwhile, so the last save always wins.
 */
export function createReloadScheduler(options: ReloadSchedulerOptions): ReloadScheduler {
  const timers = new Map<string, NodeJS.Timeout>()
  const running = new Map<string, Promise<void>>()
  const touched = new Map<string, Set<string>>()
  let stopped = false

  const schedule = (target: HotReloadTarget, file: string): void => {
    const id = `${target.type}/${target.provider}`
    let files = touched.get(id)
    if (!files) touched.set(id, (files = new Set([target.entryFile])))
    files.add(file)
    clearTimeout(timers.get(id))
    const timer = setTimeout(() => {
      timers.delete(id)
      const watched = files
      const previous = running.get(id) ?? Promise.resolve()
      const next = previous.then(async () => {
        if (stopped) return
        const before = fingerprint(watched)
        try {
          await options.run(target)
        } catch (error) {
          options.onError(error, target)
        }
        if (stopped) return
        const verify = setTimeout(() => {
          timers.delete(`${id}#verify`)
          if (!stopped && fingerprint(watched) !== before) schedule(target, target.entryFile)
        }, VERIFY_MS)
        timers.set(`${id}#verify`, verify)
      })
      running.set(id, next)
      void next.finally(() => {
        if (running.get(id) === next) running.delete(id)
      })
    }, options.debounceMs)
    timers.set(id, timer)
  }

  return {
    changed(file, targets, extra) {
      if (stopped) return
      const hit = targets.filter((t) => within(t.dir, file))
      const all = hit.length === 0 && extra.some((p) => within(p, file))
      for (const t of all ? targets : hit) schedule(t, file)
    },
    async stop() {
      stopped = true
      for (const t of timers.values()) clearTimeout(t)
      timers.clear()
      await Promise.allSettled([...running.values()])
    },
  }
}
