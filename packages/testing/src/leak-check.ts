import type { PepperpyPlugin } from '@pepperpy/plugin'
import { describeTimer, isActive, type Tracker } from './scope.js'

/** Instances of the system's classes still initialized after its cleanup (made outside its manager, or a cleanup() that never finished). */
export function instanceLeaks(instances: Iterable<PepperpyPlugin>): string[] {
  const lines: string[] = []
  for (const plugin of new Set(instances)) {
    if (!plugin.initialized) continue
    lines.push(
      `instance ${plugin.pluginId} is still initialized after cleanup (it was made outside the system's manager, or its cleanup() never finished); call its cleanup()`,
    )
  }
  return lines
}

/** Timers the plugins created that are still pending after cleanup; each is cleared once reported. */
export function timerLeaks(tracker: Tracker): string[] {
  const lines: string[] = []
  for (const [id, t] of tracker.timers) {
    tracker.timers.delete(id)
    if (!isActive(t.timer)) continue
    const interval = describeTimer(t.timer).startsWith('setInterval')
    if (!interval && !t.timer.hasRef()) continue // an unref'd one-shot cannot keep anything alive
    lines.push(
      `${describeTimer(t.timer)} created by ${t.plugin} in ${t.method}() is still running after cleanup; clear it in cleanup() (${interval ? 'clearInterval' : 'clearTimeout'})`,
    )
    clearTimeout(t.timer)
  }
  return lines
}

/** Bounded pools the plugins created and never drained; each is drained once reported. */
export async function poolLeaks(tracker: Tracker): Promise<string[]> {
  const lines: string[] = []
  for (const p of tracker.pools.splice(0)) {
    if (!p.isOpen()) continue
    lines.push(`pool created by ${p.plugin} in ${p.method}() was not drained; call pool.drain() in cleanup()`)
    await (p.pool as { drain(): Promise<void> }).drain().catch(() => {})
  }
  return lines
}
