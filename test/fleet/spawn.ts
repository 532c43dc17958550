// Real child processes for the fleet tests (tsx over the workspace sources).
import { type ChildProcess, spawn } from 'node:child_process'

/** A running script with its output so far. */
export interface Child {
  proc: ChildProcess
  out: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>
  /** Resolves once stdout contains `text`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>
}

/** Starts `script` with `args`. */
export function startScript(script: string, args: string[]): Child {
  const proc = spawn(process.execPath, ['--conditions=@pepperpy/source', '--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  const waiters = new Set<() => void>()
  proc.stdout?.on('data', (c: Buffer) => {
    out += c
    for (const w of waiters) w()
  })
  proc.stderr?.on('data', (c: Buffer) => (err += c))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    proc.once('exit', (code, signal) => {
      for (const w of waiters) w()
      resolve({ code, signal, stderr: err })
    }),
  )
  return {
    proc,
    out: () => out,
    exited,
    waitFor: (text, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const test = (): boolean => (typeof text === 'string' ? out.includes(text) : text.test(out))
        if (test()) return resolve()
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`timed out waiting for ${text}; stdout: ${out}; stderr: ${err}`))
        }, timeoutMs)
        const check = (): void => {
          if (test()) {
            clearTimeout(timer)
            waiters.delete(check)
            resolve()
          } else if (proc.exitCode !== null || proc.signalCode !== null) {
            clearTimeout(timer)
            waiters.delete(check)
            reject(new Error(`process exited before ${text}; stdout: ${out}; stderr: ${err}`))
          }
        }
        waiters.add(check)
      }),
  }
}
