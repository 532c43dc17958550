import { fs } from './lazy-fs.js'

/** A lock older than this is stale even when its pid is alive (the pid was reused): a save holds it for milliseconds. */
const STALE_MS = 20_000
const BREAKER_STALE_MS = 5000
const queues = new Map<string, Promise<unknown>>()

/**
 * Runs `fn` holding an exclusive lock on `file` across the processes of one machine: `<file>.lock`
 * created with O_EXCL and holding the owner's pid. A lock whose pid is dead (a writer killed with
 * SIGKILL) or that is older than 20 s is broken, under a second O_EXCL file so two breakers never
 * remove a fresh lock. Callers in one process queue up instead of polling.
 * @throws Error when the lock cannot be taken within `timeoutMs`
 */
export function withFileLock<T>(file: string, fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const previous = queues.get(file) ?? Promise.resolve()
  const run = previous
    .catch(() => {})
    .then(async () => {
      await acquire(`${file}.lock`, timeoutMs)
      try {
        return await fn()
      } finally {
        await fs()
          .unlink(`${file}.lock`)
          .catch(() => {})
      }
    })
  queues.set(file, run)
  void run
    .finally(() => {
      if (queues.get(file) === run) queues.delete(file)
    })
    .catch(() => {})
  return run
}

async function acquire(lock: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (let wait = 1; ; wait = Math.min(wait * 2, 40)) {
    try {
      const handle = await fs().open(lock, 'wx', 0o600)
      try {
        await handle.writeFile(`${process.pid}\n`)
      } finally {
        await handle.close()
      }
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = await readHolder(lock)
    if (holder && isStale(holder)) await breakLock(lock, holder.text)
    else if (Date.now() > deadline) throw new Error(`lock ${lock} is held by process ${holder?.pid ?? '?'} for more than ${timeoutMs} ms`)
    else await new Promise((r) => setTimeout(r, wait * (0.5 + Math.random())))
  }
}

interface Holder {
  text: string
  pid: number
  ageMs: number
}

async function readHolder(lock: string): Promise<Holder | undefined> {
  try {
    const [text, info] = await Promise.all([fs().readFile(lock, 'utf8'), fs().stat(lock)])
    return { text, pid: Number.parseInt(text, 10), ageMs: Date.now() - info.mtimeMs }
  } catch {
    return undefined // released meanwhile
  }
}

function isStale(holder: Holder): boolean {
  if (holder.ageMs > STALE_MS) return true
  // an empty lock is one being written right now, unless it is old (its writer died between open and write)
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return holder.ageMs > 1000
  return holder.pid !== process.pid && !alive(holder.pid)
}

async function breakLock(lock: string, staleText: string): Promise<void> {
  const breaker = `${lock}.break`
  try {
    await (await fs().open(breaker, 'wx', 0o600)).close()
  } catch {
    const info = await fs()
      .stat(breaker)
      .catch(() => undefined)
    if (info && Date.now() - info.mtimeMs > BREAKER_STALE_MS)
      await fs()
        .unlink(breaker)
        .catch(() => {})
    return
  }
  try {
    const now = await readHolder(lock)
    if (now && now.text === staleText && isStale(now))
      await fs()
        .unlink(lock)
        .catch(() => {})
  } finally {
    await fs()
      .unlink(breaker)
      .catch(() => {})
  }
}

/** True when process `pid` exists on this machine. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
