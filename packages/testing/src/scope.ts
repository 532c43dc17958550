// Attribution of timers and pools to the plugin code that created them, without patching globals:
// plugin methods run inside an AsyncLocalStorage scope (see tracked-class.ts); one async_hooks hook,
// enabled while a test system is alive, records every Timeout created inside such a scope.
import { AsyncLocalStorage, createHook, type AsyncHook } from 'node:async_hooks'

/** A timer created by plugin code, as the leak check reports it. */
export interface TrackedTimer {
  /** The Timeout object (what setTimeout/setInterval returned). */
  readonly timer: NodeJS.Timeout
  /** `type/provider` of the plugin whose code created it. */
  readonly plugin: string
  /** The plugin method running when it was created (`constructor` for the constructor). */
  readonly method: string
}

/** What one test system tracks: the timers and pools its plugins created. */
export interface Tracker {
  readonly timers: Map<number, TrackedTimer>
  readonly pools: { pool: object; isOpen: () => boolean; plugin: string; method: string }[]
}

/** The scope plugin code runs in. */
export interface Scope {
  readonly tracker: Tracker
  readonly plugin: string
  readonly method: string
}

const POOL_OBSERVERS = Symbol.for('pepperpy.resources.poolObservers')
const storage = new AsyncLocalStorage<Scope>()
const owners = new Map<number, Tracker>()
let hook: AsyncHook | undefined
let users = 0

/** Runs `fn` as code of `plugin` (its timers and pools are recorded in `tracker`). */
export function runAs<R>(tracker: Tracker, plugin: string, method: string, fn: () => R): R {
  return storage.run({ tracker, plugin, method }, fn)
}

/** The scope of the plugin code running now, if any. */
export function currentScope(): Scope | undefined {
  return storage.getStore()
}

/** Starts recording for one more test system; returns the function that stops it. */
export function startTracking(): () => void {
  users++
  if (users === 1) {
    hook ??= createHook({ init: onInit, destroy: onDestroy })
    hook.enable()
    observers().add(onPool)
  }
  let stopped = false
  return () => {
    if (stopped) return
    stopped = true
    users--
    if (users === 0) {
      hook?.disable()
      owners.clear()
      observers().delete(onPool)
    }
  }
}

/** True while `timer` has neither fired (a timeout) nor been cleared. */
export function isActive(timer: NodeJS.Timeout): boolean {
  return (timer as { _destroyed?: boolean })._destroyed !== true
}

/** `setInterval(1000 ms)` or `setTimeout(50 ms)`, from the Timeout object. */
export function describeTimer(timer: NodeJS.Timeout): string {
  const t = timer as { _repeat?: number | null; _idleTimeout?: number }
  const kind = typeof t._repeat === 'number' ? 'setInterval' : 'setTimeout'
  return typeof t._idleTimeout === 'number' ? `${kind}(${t._idleTimeout} ms)` : kind
}

function onInit(asyncId: number, type: string, _trigger: number, resource: object): void {
  if (type !== 'Timeout') return
  const scope = storage.getStore()
  if (!scope) return
  scope.tracker.timers.set(asyncId, { timer: resource as NodeJS.Timeout, plugin: scope.plugin, method: scope.method })
  owners.set(asyncId, scope.tracker)
}

function onDestroy(asyncId: number): void {
  const tracker = owners.get(asyncId)
  if (!tracker) return
  owners.delete(asyncId)
  tracker.timers.delete(asyncId)
}

function onPool(pool: object, isOpen: () => boolean): void {
  const scope = storage.getStore()
  if (scope) scope.tracker.pools.push({ pool, isOpen, plugin: scope.plugin, method: scope.method })
}

function observers(): Set<(pool: object, isOpen: () => boolean) => void> {
  const slots = globalThis as { [POOL_OBSERVERS]?: Set<(pool: object, isOpen: () => boolean) => void> }
  slots[POOL_OBSERVERS] ??= new Set()
  return slots[POOL_OBSERVERS]
}
