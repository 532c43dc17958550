/** A stable handle whose calls go to whichever instance is current (see {@link createReloadableHandle}). */
export interface ReloadableHandle<T extends object> {
  /** Give this to callers: every property access and call goes to the current instance. */
  readonly proxy: T
  /** The instance serving calls now. */
  readonly current: T
  /** Routes later calls to `next`; resolves once calls still running on the previous instance finish. */
  swap(next: T): Promise<void>
  /** Resolves when no call is running on `instance`. */
  drain(instance: T): Promise<void>
}

interface Flight {
  count: number
  idle: Array<() => void>
}

/**
 * Wraps `instance` in a Proxy that a hot reload can re-point. Methods run with `this` bound to the
 * current instance (so `#private` fields and the contract's internals work); calls returning a
 * promise count as in flight until they settle.
 */
export function createReloadableHandle<T extends object>(instance: T): ReloadableHandle<T> {
  let current = instance
  const flights = new WeakMap<object, Flight>()
  const bound = new WeakMap<object, Map<PropertyKey, { fn: unknown; wrapped: unknown }>>()

  const track = (target: object, result: unknown): unknown => {
    if (typeof (result as { then?: unknown })?.then !== 'function') return result
    let f = flights.get(target)
    if (!f) flights.set(target, (f = { count: 0, idle: [] }))
    const flight = f
    flight.count++
    const done = (): void => {
      if (--flight.count === 0) for (const resolve of flight.idle.splice(0)) resolve()
    }
    ;(result as Promise<unknown>).then(done, done)
    return result
  }

  const method = (target: object, key: PropertyKey, fn: (...args: unknown[]) => unknown): unknown => {
    let cache = bound.get(target)
    if (!cache) bound.set(target, (cache = new Map()))
    const hit = cache.get(key)
    if (hit && hit.fn === fn) return hit.wrapped
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      return track(target, fn.apply(target, args))
    }
    Object.defineProperty(wrapped, 'name', { value: fn.name })
    cache.set(key, { fn, wrapped })
    return wrapped
  }

  // the Proxy's own target is a blank stand-in, so the first instance is not kept alive after a swap
  const proxy = new Proxy(Object.create(null) as T, {
    get(_t, key) {
      const target = current
      const value = Reflect.get(target, key, target)
      return typeof value === 'function' && key !== 'constructor' ? method(target, key, value as (...a: unknown[]) => unknown) : value
    },
    set: (_t, key, value) => Reflect.set(current, key, value, current),
    has: (_t, key) => Reflect.has(current, key),
    deleteProperty: (_t, key) => Reflect.deleteProperty(current, key),
    defineProperty: (_t, key, desc) => Reflect.defineProperty(current, key, desc),
    ownKeys: () => Reflect.ownKeys(current),
    getOwnPropertyDescriptor(_t, key) {
      const desc = Reflect.getOwnPropertyDescriptor(current, key)
      if (desc) desc.configurable = true
      return desc
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(current),
  })

  const drain = (target: T): Promise<void> => {
    const f = flights.get(target)
    if (!f || f.count === 0) return Promise.resolve()
    return new Promise((resolve) => f.idle.push(resolve))
  }

  return {
    proxy,
    get current() {
      return current
    },
    swap(next: T): Promise<void> {
      const previous = current
      current = next
      return drain(previous)
    },
    drain,
  }
}
