import { spawn, type ChildProcess } from 'node:child_process'
import { Worker } from 'node:worker_threads'
import { fromWire } from './wire.js'

/** How an isolate ended. */
export interface ExitInfo {
  /** Exit code (a process killed by a signal has none). */
  code: number | null
  signal?: string
  /** The uncaught error, when the worker reported one (uncaught exception, unhandled rejection, out of memory). */
  error?: unknown
  /** The tail of the child process's stderr, for crash messages. */
  stderr?: string
}

/** What a session needs from a worker thread or a child process: messages, exit, kill, ref counting. */
export interface Channel {
  readonly kind: 'worker' | 'process'
  /** The child's pid or the worker's threadId. */
  readonly id: number
  post(message: unknown): void
  on(fn: (message: unknown) => void): void
  off(fn: (message: unknown) => void): void
  /** Settles once the isolate is gone (never rejects). */
  readonly exited: Promise<ExitInfo>
  /** Ends the isolate now (a `for(;;){}` included); resolves when it is gone. */
  kill(): Promise<ExitInfo>
  /** Keeps the host's event loop alive (while calls are in flight) or not. */
  ref(on: boolean): void
}

/** Options of {@link openChannel}. */
export interface ChannelOptions {
  kind: 'worker' | 'process'
  /** The bootstrap script (JavaScript, CommonJS) run by the worker or with `node -e`. */
  bootstrap: string
  execArgv: string[]
  env: Record<string, string>
  memoryMb?: number
}

const STDERR_TAIL = 4096

/** Starts a worker thread or a child process running `bootstrap`, unref'd until {@link Channel.ref}. */
export function openChannel(o: ChannelOptions): Channel {
  return o.kind === 'worker' ? workerChannel(o) : processChannel(o)
}

function workerChannel(o: ChannelOptions): Channel {
  const worker = new Worker(o.bootstrap, {
    eval: true,
    execArgv: o.execArgv,
    env: o.env,
    stdout: false,
    stderr: false,
    ...(o.memoryMb ? { resourceLimits: { maxOldGenerationSizeMb: o.memoryMb } } : {}),
  })
  worker.unref()
  let error: unknown
  worker.on('error', (e) => {
    error = e
  })
  const exited = new Promise<ExitInfo>((resolve) => {
    worker.once('exit', (code) => resolve(error === undefined ? { code } : { code, error }))
  })
  return {
    kind: 'worker',
    id: worker.threadId,
    post: (m) => worker.postMessage(m),
    on: (fn) => worker.on('message', fn),
    off: (fn) => worker.off('message', fn),
    exited,
    async kill() {
      await worker.terminate()
      return exited
    },
    ref: (on) => (on ? worker.ref() : worker.unref()),
  }
}

function processChannel(o: ChannelOptions): Channel {
  const child: ChildProcess = spawn(
    process.execPath,
    [...o.execArgv, ...(o.memoryMb ? [`--max-old-space-size=${o.memoryMb}`] : []), '-e', o.bootstrap],
    {
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'advanced',
      env: o.env,
      windowsHide: true,
    },
  )
  let tail = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk)
    tail = (tail + chunk.toString('utf8')).slice(-STDERR_TAIL)
  })
  let error: unknown
  const onCrash = (m: unknown): void => {
    if (typeof m === 'object' && m !== null && (m as { t?: unknown }).t === 'crash') error = fromWire((m as { e: unknown }).e)
  }
  child.on('message', onCrash)
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('error', (e) => {
      error ??= e
    })
    child.once('close', (code, signal) => {
      const info: ExitInfo = { code, ...(signal ? { signal } : {}), ...(tail ? { stderr: tail } : {}) }
      resolve(error === undefined ? info : { ...info, error })
    })
  })
  const setRef = (on: boolean): void => {
    const channel = child.channel as { ref?(): void; unref?(): void } | undefined
    if (on) {
      child.ref()
      channel?.ref?.()
    } else {
      child.unref()
      channel?.unref?.()
    }
  }
  setRef(false)
  ;(child.stderr as unknown as { unref?(): void } | null)?.unref?.()
  return {
    kind: 'process',
    id: child.pid ?? -1,
    post: (m) => {
      if (child.connected) child.send(m as never)
    },
    on: (fn) => child.on('message', fn),
    off: (fn) => child.off('message', fn),
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      return exited
    },
    ref: setRef,
  }
}
