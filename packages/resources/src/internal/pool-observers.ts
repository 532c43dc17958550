// Tools that want to know about every bounded pool (the test kit's leak check) add a callback to a
// Set under a Symbol.for key on globalThis; nothing is kept when nobody listens.
const OBSERVERS = Symbol.for('pepperpy.resources.poolObservers')

/** Called once per new pool with the pool and a function telling whether it is still open (not drained). */
export type PoolObserver = (pool: object, isOpen: () => boolean) => void

/** Tells every registered observer about a new pool. */
export function notifyPoolCreated(pool: object, isOpen: () => boolean): void {
  const observers = (globalThis as { [OBSERVERS]?: Set<PoolObserver> })[OBSERVERS]
  if (observers) for (const observe of observers) observe(pool, isOpen)
}
