import {
  describeError,
  PepperpyError,
  PluginCrashedError,
  type PluginDisabledError,
  PluginInitError,
  PluginTimeoutError,
  PepperpyPlugin,
  pluginContext,
  type StateStore,
} from '@pepperpy/plugin'
import { defineMethod } from './instances.js'
import type { IsolatedRunner, IsolationTarget, RunnerHost } from './types.js'
import { methodsOf } from './methods.js'
import type { HostFunctions, RemoteDependency, StartRequest } from './protocol.js'
import { CrashWindow } from './crash-window.js'
import type { Session } from './session.js'
import { findFunction, isRemoteError } from './wire.js'

/**
 * Runs one isolated plugin instance: starts its isolate on first use (initialize or a call),
 * restarts it after a crash or timeout (same config, `initialize()` again when it was initialized),
 * disables it after `restart.max` crashes within `restart.window_ms`.
 */
export class Runner implements IsolatedRunner {
  /** The effective config reported by the isolate (class defaults included), once started. */
  config: Readonly<Record<string, unknown>> | undefined
  readonly #plugin: PepperpyPlugin
  readonly #target: IsolationTarget
  readonly #host: RunnerHost
  readonly #crashes: CrashWindow
  readonly #stopping = new WeakSet<Session>()
  #session: Session | undefined
  #starting: Promise<Session> | undefined
  #want = false
  #initialized = false
  #disabled: PluginDisabledError | undefined
  #pending: Session | undefined

  constructor(plugin: PepperpyPlugin, target: IsolationTarget, host: RunnerHost) {
    this.#plugin = plugin
    this.#target = target
    this.#host = host
    this.#crashes = new CrashWindow(target.spec.restart.max, target.spec.restart.windowMs)
  }

  /** The running isolate's id (pid or threadId), for diagnostics; undefined when none runs. */
  get isolateId(): number | undefined {
    return this.#session && !this.#session.dead ? this.#session.channel.id : undefined
  }

  /** Starts the isolate when needed and initializes the plugin in it; `signal` (the init timeout) kills it. */
  async initialize(signal?: AbortSignal): Promise<void> {
    this.#want = true
    const onAbort = (): void => {
      const id = this.#plugin.pluginId
      const reason = new PluginTimeoutError(
        `${id}: initialize() was aborted (initTimeoutMs); its isolate was terminated`,
        this.#host.initTimeoutMs,
        { pluginId: id },
      )
      void (this.#session ?? this.#pending)?.kill(reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      const session = await this.#ensure()
      if (!this.#initialized) {
        await session.call('initialize', [], this.#host.initTimeoutMs, 'initialize()')
        this.#initialized = true
      }
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
  }

  /** Cleans the plugin up in its isolate, then ends the isolate. */
  async cleanup(): Promise<void> {
    this.#want = false
    await this.#starting?.catch(() => {})
    const session = this.#session
    this.#session = undefined
    if (!session || session.dead) return
    this.#stopping.add(session)
    let failure: unknown
    if (this.#initialized) {
      try {
        await session.call('cleanup', [], this.#host.cleanupTimeoutMs, 'cleanup()')
      } catch (error) {
        failure = error
      }
    }
    this.#initialized = false
    const id = this.#plugin.pluginId
    await session.kill(new PluginCrashedError(`${id}: its ${session.channel.kind} was stopped by cleanup()`, { pluginId: id }))
    if (failure !== undefined) throw failure
  }

  /** Calls `method` of the plugin in its isolate (starting it when needed). */
  async call(method: string, args: unknown[]): Promise<unknown> {
    const id = this.#plugin.pluginId
    const fn = findFunction(args, 'arguments')
    if (fn)
      throw new TypeError(
        `${id}.${method}(): ${fn} is a function; functions cannot be passed to an isolated plugin (${this.#target.spec.mode}): pass data`,
      )
    const session = await this.#ensure()
    try {
      return await session.call('call', [method, args], this.#target.spec.callTimeoutMs, `${method}()`)
    } catch (error) {
      if ((error as Error | undefined)?.name !== 'DataCloneError') throw error
      const what = isRemoteError(error) ? 'its result' : 'an argument'
      throw new PepperpyError(
        `${id}.${method}(): ${what} cannot be cloned to cross the ${this.#target.spec.mode} boundary: ${describeError(error)}`,
        {
          pluginId: id,
          cause: error,
        },
      )
    }
  }

  #ensure(): Promise<Session> {
    if (this.#disabled) return Promise.reject(this.#disabled)
    if (this.#session && !this.#session.dead) return Promise.resolve(this.#session)
    this.#starting ??= this.#start().finally(() => {
      this.#starting = undefined
    })
    return this.#starting
  }

  async #start(): Promise<Session> {
    const id = this.#plugin.pluginId
    this.#initialized = false
    const session = this.#host.openSession(this.#target, id, this.#functions())
    this.#pending = session
    void session.ended.then((end) => {
      if (this.#session === session) this.#session = undefined
      if (this.#stopping.has(session)) return
      this.#initialized = false
      const disabled = this.#crashes.record(id, end)
      if (disabled) this.#disabled = disabled
      this.#plugin.logger.warn(`${end.message}; ${disabled ? 'the plugin is disabled' : 'it starts again on the next call'}`)
    })
    let loading = true
    try {
      const reply = await session.call('start', [this.#request()], this.#host.startTimeoutMs, 'loading its entry module')
      this.config = Object.freeze(reply.config)
      for (const m of reply.methods) defineMethod(Object.getPrototypeOf(this.#plugin), m)
      loading = false
      if (this.#want) {
        await session.call('initialize', [], this.#host.initTimeoutMs, 'initialize()')
        this.#initialized = true
      }
      this.#session = session
      return session
    } catch (error) {
      this.#stopping.add(session)
      await session.kill(new PluginCrashedError(`${id}: start failed`, { pluginId: id }))
      if (PepperpyError.is(error) || !loading) throw error
      throw new PluginInitError(
        `${id}: its entry module ${this.#target.file} failed to load in the ${this.#target.spec.mode}: ${describeError(error)}`,
        {
          pluginId: id,
          cause: error,
        },
      )
    }
  }

  #request(): StartRequest {
    const t = this.#target
    const deps: Record<string, RemoteDependency> = {}
    this.#depObjects.clear()
    for (const spec of t.dependencies) {
      const dep = this.#plugin.getDependency<PepperpyPlugin>(spec.type, spec.provider)
      if (!dep || typeof dep !== 'object') continue
      const remote: RemoteDependency = {
        pluginId: dep.pluginId,
        methods: methodsOf(dep, PepperpyPlugin.prototype),
        config: plain(dep.config),
      }
      for (const key of [spec.type, dep.pluginId, ...(spec.provider ? [`${spec.type}/${spec.provider}`] : [])]) {
        deps[key] ??= remote
        this.#depObjects.set(key, dep)
      }
    }
    return {
      file: t.file,
      ...(t.exportName ? { exportName: t.exportName } : {}),
      loader: t.loader,
      shared: t.shared,
      type: this.#plugin.pluginType,
      provider: this.#plugin.provider,
      config: plain(this.#plugin.config),
      sources: {},
      env: this.#host.env(t),
      deps,
      stateStore: this.#store() !== undefined,
    }
  }

  readonly #depObjects = new Map<string, object>()

  #store(): StateStore | undefined {
    return pluginContext(this.#plugin).stateStore
  }

  #functions(): HostFunctions {
    const plugin = this.#plugin
    const store = (): StateStore => {
      const s = this.#store()
      if (!s) throw new Error(`${plugin.pluginId}: the host has no state store`)
      return s
    }
    return {
      log: (level, message, args) => plugin.logger[level](message, ...args),
      stateLoad: (key) => store().load(key),
      stateSave: (key, state) => store().save(key, state),
      stateDelete: (key) => store().delete(key),
      depCall: async (key, method, args) => {
        const dep = this.#depObjects.get(key) as Record<string, unknown> | undefined
        const fn = dep?.[method]
        if (typeof fn !== 'function') throw new TypeError(`${plugin.pluginId}: dependency ${key} has no method "${method}"`)
        return await (fn as (...a: unknown[]) => unknown).apply(dep, args)
      },
    }
  }
}

function plain(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(config)) {
    try {
      out[k] = structuredClone(v)
    } catch {
      // a value that cannot cross stays on the host side
    }
  }
  return out
}
