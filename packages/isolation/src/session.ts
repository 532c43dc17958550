import { createBirpc, type BirpcReturn } from 'birpc'
import { describeError, PluginCrashedError, PluginTimeoutError } from '@pepperpy/plugin'
import { openChannel, type Channel, type ChannelOptions, type ExitInfo } from './channel.js'
import { answered, deserialize, serialize, type HostFunctions, type IsolateFunctions } from './protocol.js'

/** Why a session ended, as the error its calls in flight reject with. */
export type SessionEnd = PluginCrashedError | PluginTimeoutError

/**
 * One running isolate (a worker thread or a child process) of one plugin: birpc over its channel,
 * bounded calls, and one end. When it ends (crash, exit, timeout, kill) every call in flight
 * rejects with the error that ended it; nothing is left running.
 */
export class Session {
  readonly channel: Channel
  readonly #rpc: BirpcReturn<IsolateFunctions, HostFunctions>
  readonly #pluginId: string
  #inFlight = 0
  #end: SessionEnd | undefined
  #killing: SessionEnd | undefined
  /** Settles with the error that ended the session (never rejects). */
  readonly ended: Promise<SessionEnd>

  constructor(pluginId: string, channel: ChannelOptions, host: HostFunctions) {
    this.#pluginId = pluginId
    this.channel = openChannel(channel)
    this.#rpc = createBirpc<IsolateFunctions, HostFunctions>(host, {
      post: (m) => this.channel.post(m),
      on: (fn) => this.channel.on(fn),
      off: (fn) => this.channel.off(fn),
      serialize,
      deserialize,
      timeout: -1,
      onGeneralError: answered,
    })
    this.ended = this.channel.exited.then((info) => {
      const end = this.#killing ?? crashOf(pluginId, channel.kind, info)
      this.#end = end
      this.#rpc.$close(end)
      return end
    })
  }

  /** True once the isolate is gone or being ended. */
  get dead(): boolean {
    return this.#end !== undefined || this.#killing !== undefined
  }

  /** The plugin this isolate runs. */
  get pluginId(): string {
    return this.#pluginId
  }

  /**
   * Calls `method` in the isolate, bounded by `timeoutMs`: past it the isolate is killed and the
   * call rejects with PluginTimeoutError. A crash rejects it with PluginCrashedError.
   */
  async call<K extends keyof IsolateFunctions>(
    method: K,
    args: Parameters<IsolateFunctions[K]>,
    timeoutMs: number,
    what: string,
  ): Promise<Awaited<ReturnType<IsolateFunctions[K]>>> {
    const over = this.#end ?? this.#killing
    if (over) throw during(this.#pluginId, over, what)
    if (this.#inFlight++ === 0) this.channel.ref(true)
    let timer: NodeJS.Timeout | undefined
    let own: PluginTimeoutError | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        own = new PluginTimeoutError(
          `${this.#pluginId}: ${what} did not finish within ${timeoutMs} ms; the ${this.channel.kind} was terminated`,
          timeoutMs,
          { pluginId: this.#pluginId },
        )
        const error = own
        void this.kill(error).then(() => reject(error))
      }, timeoutMs)
    })
    try {
      const call = (this.#rpc.$call as (m: string, ...a: unknown[]) => Promise<unknown>)(method, ...args)
      return (await Promise.race([call, timeout])) as Awaited<ReturnType<IsolateFunctions[K]>>
    } catch (error) {
      if (error !== own && (error === this.#end || error === this.#killing)) throw during(this.#pluginId, error as SessionEnd, what)
      throw error
    } finally {
      clearTimeout(timer)
      if (--this.#inFlight === 0) this.channel.ref(false)
    }
  }

  /** Ends the isolate; calls in flight reject with `reason`. Resolves once it is gone. */
  async kill(reason: SessionEnd): Promise<void> {
    this.#killing ??= reason
    // held until it is gone, so a host with nothing else to do still waits for the exit
    this.channel.ref(true)
    await this.channel.kill()
    await this.ended
  }
}

/** The error a call in flight rejects with when the session ended: a crash, named with what was running. */
function during(pluginId: string, end: SessionEnd, what: string): PluginCrashedError {
  return new PluginCrashedError(`${end.message} (while ${what} ran)`, { pluginId, cause: end })
}

function crashOf(pluginId: string, kind: 'worker' | 'process', info: ExitInfo): PluginCrashedError {
  const e = info.error as (Error & { code?: unknown }) | undefined
  let why: string
  if (e && e.code === 'ERR_WORKER_OUT_OF_MEMORY') why = 'ran out of memory (limits.memory_mb)'
  else if (e) why = `threw ${e.name ?? 'an error'}: ${describeError(e)}`
  else if (info.stderr && /heap out of memory|Allocation failed/i.test(info.stderr)) why = 'ran out of memory (limits.memory_mb)'
  else if (info.signal) why = `was killed by ${info.signal}`
  else why = `exited with code ${info.code}`
  return new PluginCrashedError(`${pluginId}: its ${kind} ${why}`, { pluginId, ...(e ? { cause: e } : {}) })
}
