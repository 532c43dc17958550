import type { IsolatedRunner } from './types.js'

const runners = new WeakMap<object, IsolatedRunner>()

/** Links a host-side isolated instance to its Runner. */
export function attachRunner(plugin: object, runner: IsolatedRunner): void {
  runners.set(plugin, runner)
}

/** The Runner behind an isolated plugin instance, or undefined for any other object. */
export function isolatedRunner(plugin: object): IsolatedRunner | undefined {
  return runners.get(plugin)
}

/** Adds `method` to `proto` as an async call into the isolate (also used for methods that new code brings). */
export function defineMethod(proto: object, method: string): void {
  if (method in proto) return
  Object.defineProperty(proto, method, {
    configurable: true,
    writable: true,
    enumerable: false,
    value: {
      [method](this: object, ...args: unknown[]): Promise<unknown> {
        const runner = runners.get(this)
        if (!runner) return Promise.reject(new TypeError(`${method}() called on an object that is not an isolated plugin`))
        return runner.call(method, args)
      },
    }[method],
  })
}
