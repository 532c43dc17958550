import { describeError, type Logger, type PepperpyPlugin, type PluginClass } from '@pepperpy/plugin'
import type { LiveInstance } from '@pepperpy/plugin/spi'
import { flushState, persistedFields, trackerOf } from '../persistence/persistent-plugin.js'
import { defaultStateFields, snapshot } from '../persistence/state-fields.js'

type Fields = Record<string, unknown>

/** A new instance built and initialized, not yet serving. */
interface Prepared {
  live: LiveInstance
  old: PepperpyPlugin
  next: PepperpyPlugin
  /** The JSON text of each carried field as copied from the old instance. */
  carried: Map<string, string>
}

/** The state carried to the new instance: its persisted fields, else its own non-config JSON data fields. */
function carriedFields(old: PepperpyPlugin): string[] {
  return persistedFields(old) ?? defaultStateFields(old)
}

async function prepare(live: LiveInstance, Class: PluginClass): Promise<Prepared> {
  const old = live.current
  await flushState(old) // a persistent new instance loads what the old one holds
  const state = snapshot(old, carriedFields(old))
  const next = live.recreate(Class)
  const carried = new Map<string, string>()
  for (const [f, value] of Object.entries(state)) {
    if (!Object.hasOwn(next, f)) continue // the new code dropped the field
    ;(next as unknown as Fields)[f] = value
    carried.set(f, JSON.stringify(value))
  }
  if (old.initialized) {
    try {
      await next.initialize()
    } catch (error) {
      await next.cleanup().catch(() => {})
      throw error
    }
  }
  return { live, old, next, carried }
}

/**
 * Changes the old instance made after the copy (calls finishing on the old code), applied to the
 * instance serving now (the new one, or a newer one when another reload came meanwhile) for each
 * field that still holds the copied value there.
 */
function mergeLate({ old, live, carried }: Prepared): void {
  const next = live.current
  for (const [f, copied] of carried) {
    const late = JSON.stringify((old as unknown as Fields)[f])
    if (late !== copied && JSON.stringify((next as unknown as Fields)[f]) === copied) {
      ;(next as unknown as Fields)[f] = late === undefined ? undefined : JSON.parse(late)
    }
  }
}

async function drainWithin(drain: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  const done = await Promise.race([drain.then(() => true as const), late])
  clearTimeout(timer)
  return done
}

/** What {@link swapInstances} did (new code already serves when it returns): `finished` settles once the old instances are cleaned up. */
export interface SwapResult {
  finished: Promise<void>
}

/**
 * Swaps every live instance to `Class`, all or nothing: each new instance gets the old one's config
 * (via `recreate`) and state, and is initialized if the old one was. When any fails, the new ones
 * are cleaned up, nothing is routed, and the error is thrown. Otherwise calls are routed to the new
 * instances at once; `finished` waits for calls still running on the old ones (at most
 * `drainTimeoutMs`), carries over state they changed meanwhile, and cleans them up.
 */
export async function swapInstances(
  lives: readonly LiveInstance[],
  Class: PluginClass,
  logger: Logger,
  drainTimeoutMs: number,
): Promise<SwapResult> {
  const prepared: Prepared[] = []
  try {
    for (const live of lives) prepared.push(await prepare(live, Class))
  } catch (error) {
    await Promise.allSettled(prepared.map((p) => p.next.cleanup()))
    throw error
  }
  const finishing = prepared.map(async (p) => {
    const drained = await drainWithin(p.live.swap(p.next), drainTimeoutMs)
    if (!drained)
      logger.warn(`${p.old.pluginId}: calls on the replaced instance still running after ${drainTimeoutMs} ms; cleaning it up anyway`)
    mergeLate(p)
    trackerOf(p.old)?.stop(true) // its state now belongs to the new instance
    await p.old
      .cleanup()
      .catch((error: unknown) => logger.warn(`${p.old.pluginId}: cleanup of the replaced instance failed: ${describeError(error)}`))
    await flushState(p.live.current)
  })
  return { finished: Promise.all(finishing).then(() => undefined) }
}
