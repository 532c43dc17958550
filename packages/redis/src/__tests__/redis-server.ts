// A real redis-server for the tests: 127.0.0.1, a free port, a temp folder, AOF with fsync per
// write (so an acknowledged write survives SIGKILL). Fails when CI=true and redis-server is missing.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** True when `redis-server` is on PATH. */
export const haveRedis: boolean = ((): boolean => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

/** Tests that need Redis run when it is installed, and always in CI (where a missing server fails them). */
export const runRedisTests: boolean = haveRedis || process.env['CI'] === 'true'

/** A running redis-server the test controls. */
export interface TestRedis {
  url: string
  port: number
  /** The server's pid. */
  pid(): number
  /** SIGKILL, then start again on the same port and folder (the AOF is replayed). */
  crashAndRestart(): Promise<void>
  kill(): Promise<void>
  start(): Promise<void>
  pause(): void
  resume(): void
  stop(): Promise<void>
}

/** Starts a fresh redis-server. */
export async function startRedis(): Promise<TestRedis> {
  if (!haveRedis) throw new Error('redis-server is not installed (apt-get install -y redis-server); the Redis tests need the real server')
  const dir = mkdtempSync(join(tmpdir(), 'pepperpy-redis-'))
  const port = await freePort()
  let proc: ChildProcess | undefined
  const start = async (): Promise<void> => {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--protected-mode',
        'no',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    proc = child
    let out = ''
    child.stdout?.on('data', (c: Buffer) => (out += c))
    child.stderr?.on('data', (c: Buffer) => (out += c))
    const deadline = Date.now() + 15_000
    while (!(await canConnect(port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}): ${out}`)
      if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}: ${out}`)
      await new Promise((r) => setTimeout(r, 30))
    }
    while (!/Ready to accept connections/.test(out)) {
      if (Date.now() > deadline) throw new Error(`redis-server did not get ready: ${out}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  const kill = async (): Promise<void> => {
    const p = proc
    if (!p || p.exitCode !== null || p.signalCode !== null) return
    p.kill('SIGCONT')
    const exited = new Promise((r) => p.once('exit', r))
    p.kill('SIGKILL')
    await exited
  }
  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: () => proc?.pid ?? 0,
    start,
    kill,
    async crashAndRestart() {
      await kill()
      await start()
    },
    pause: () => void proc?.kill('SIGSTOP'),
    resume: () => void proc?.kill('SIGCONT'),
    async stop() {
      await kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket()
    s.once('error', () => resolve(false))
    s.connect(port, '127.0.0.1', () => {
      s.destroy()
      resolve(true)
    })
  })
}
