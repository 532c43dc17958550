/** A deadline registered with {@link Deadlines}. */
export interface Deadline {
  /** Stops the deadline; false when it already fired. */
  cancel(): boolean
}

interface Entry extends Deadline {
  at: number
  fire: (() => void) | undefined
}

/**
 * Many deadlines of one length on a single timer. Entries expire in the order they were added,
 * so a queue is enough; the timer is armed only while a deadline is live, so a finished boot
 * leaves nothing that keeps the process alive. (One `setTimeout` per plugin was a measurable share
 * of booting 1,000 plugins.)
 */
export class Deadlines {
  readonly #ms: number
  #queue: Entry[] = []
  #head = 0
  #live = 0
  #timer: NodeJS.Timeout | undefined
  /** The deadline the timer was armed for. */
  #armedFor = 0

  constructor(ms: number) {
    this.#ms = ms
  }

  /** Calls `fire` once `ms` have passed, unless cancelled first. */
  add(fire: () => void): Deadline {
    const entry: Entry = {
      at: performance.now() + this.#ms,
      fire,
      cancel: () => {
        if (!entry.fire) return false
        entry.fire = undefined
        if (--this.#live === 0) this.#disarm()
        return true
      },
    }
    this.#queue.push(entry)
    this.#live++
    if (this.#timer === undefined) this.#arm(entry.at)
    return entry
  }

  /** Arms the timer for `at`, counting from `now` (the effective time when re-arming after a fire). */
  #arm(at: number, now: number = performance.now()): void {
    this.#armedFor = at
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, at - now) + 1)
  }

  #disarm(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#queue = []
    this.#head = 0
  }

  #expire(): void {
    this.#timer = undefined
    // the timer firing proves its deadline has come, even where the clock says otherwise (timers
    // faked without `performance`)
    const now = Math.max(performance.now(), this.#armedFor)
    while (this.#head < this.#queue.length) {
      const entry = this.#queue[this.#head]!
      if (entry.fire && entry.at > now) break
      this.#head++
      const fire = entry.fire
      if (!fire) continue
      entry.fire = undefined
      this.#live--
      fire()
    }
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head)
      this.#head = 0
    }
    if (this.#live > 0) {
      clearTimeout(this.#timer) // an add() from a fire() above armed it for its own, later deadline
      this.#arm(this.#queue[this.#head]!.at, now)
    }
  }
}

const shared = new Map<number, Deadlines>()

/** The process-wide {@link Deadlines} for deadlines of `ms` (one timer per distinct length). */
export function deadlinesFor(ms: number): Deadlines {
  let d = shared.get(ms)
  if (!d) shared.set(ms, (d = new Deadlines(ms)))
  return d
}

/**
 * `run`, or the error `onTimeout()` returns when `ms` pass first (the work goes on; its late result is ignored).
 * @param run - the work to bound
 * @param ms - the limit; undefined or Infinity: no limit
 * @param onTimeout - makes the rejection (called once, when the limit passes)
 * @returns a promise settled by whichever comes first
 */
export function withLimit<T>(run: Promise<T>, ms: number | undefined, onTimeout: () => unknown): Promise<T> {
  if (ms === undefined || !Number.isFinite(ms)) return run
  return new Promise<T>((resolve, reject) => {
    const deadline = deadlinesFor(ms).add(() => reject(onTimeout()))
    run.then(
      (value) => {
        if (deadline.cancel()) resolve(value)
      },
      (error: unknown) => {
        if (deadline.cancel()) reject(error)
      },
    )
  })
}
