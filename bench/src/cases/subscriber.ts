import { tracingChannel } from 'node:diagnostics_channel'
import { channels } from '@pepperpy/plugins'

/**
 * A minimal realistic subscriber of every pepperpy channel: notes each operation's start and, when
 * it ends, its duration (what an APM's subscriber does before its own work). Returns the number of
 * operations seen so far and a function that unsubscribes.
 */
export function subscribeAll(): { seen: () => number; stop: () => void } {
  let seen = 0
  const started = new WeakMap<object, number>()
  const stops: Array<() => void> = []
  for (const name of Object.values(channels)) {
    const ch = tracingChannel(name)
    const done = (ctx: object): void => {
      const t0 = started.get(ctx)
      if (t0 === undefined) return
      started.delete(ctx)
      if (performance.now() - t0 >= 0) seen++
    }
    const handlers = {
      start: (ctx: object) => void started.set(ctx, performance.now()),
      end: (ctx: object) => (name === channels.discover ? done(ctx) : undefined),
      asyncStart: () => {},
      asyncEnd: done,
      error: () => {},
    }
    ch.subscribe(handlers)
    stops.push(() => ch.unsubscribe(handlers))
  }
  return {
    seen: () => seen,
    stop: () => {
      for (const s of stops.splice(0)) s()
    },
  }
}
