/** A deadline registered with {@link Deadlines}. */
export interface Deadline {
  /** Stops the deadline; false when it already fired or was cancelled. */
  cancel(): boolean
}

/** Options of {@link Deadlines}. */
export interface DeadlinesOptions {
  /** Let the process exit while deadlines are pending (`timer.unref()`). @default false */
  unref?: boolean
}

interface Entry extends Deadline {
  readonly at: number
  fire: ((arg: unknown) => void) | undefined
  arg: unknown
}

/**
 * Many deadlines of one length on a single timer, on the monotonic clock (`performance.now()`).
 * Entries expire in the order they were added, so a queue is enough; the timer is armed only while
 * a deadline is live, so nothing is left to keep the process alive. A timer that fires counts as
 * proof its deadline came, also where the clock says otherwise (timers faked without `performance`).
 * Shared by the manager's `initialize()` timeouts and the resource pool's acquire and idle timeouts.
 */
export class Deadlines {
  readonly #ms: number
  readonly #unref: boolean
  /** One deadline; a class (not closures), so adding one allocates a single small object. */
  static readonly #Entry = class implements Entry {
    readonly owner: Deadlines
    readonly at: number
    fire: ((arg: unknown) => void) | undefined
    arg: unknown
    constructor(owner: Deadlines, at: number, fire: (arg: unknown) => void, arg: unknown) {
      this.owner = owner
      this.at = at
      this.fire = fire
      this.arg = arg
    }
    cancel(): boolean {
      if (!this.fire) return false
      this.fire = undefined
      this.arg = undefined
      if (--this.owner.#live === 0) this.owner.#disarm()
      else this.owner.#trim()
      return true
    }
  }

  #queue: Entry[] = []
  #head = 0
  #live = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  /** The deadline the timer was armed for. */
  #armedFor = 0

  /**
   * @param ms - the length of every deadline, in milliseconds
   * @param options - see {@link DeadlinesOptions}
   */
  constructor(ms: number, options: DeadlinesOptions = {}) {
    this.#ms = ms
    this.#unref = options.unref ?? false
  }

  /** Deadlines added and neither fired nor cancelled. */
  get pending(): number {
    return this.#live
  }

  /**
   * Calls `fire(arg)` once `ms` have passed, unless cancelled first (passing `arg` spares a closure
   * per deadline on hot paths).
   * @returns a handle whose `cancel()` stops it
   */
  add(fire: () => void): Deadline
  add<A>(fire: (arg: A) => void, arg: A): Deadline
  add(fire: (arg: unknown) => void, arg?: unknown): Deadline {
    const now = performance.now()
    const entry = new Deadlines.#Entry(this, now + this.#ms, fire, arg)
    this.#queue.push(entry)
    this.#live++
    if (this.#timer === undefined) this.#arm(entry.at, now)
    return entry
  }

  /** Cancels every pending deadline. */
  clear(): void {
    for (let i = this.#head; i < this.#queue.length; i++) this.#queue[i]!.fire = undefined
    this.#live = 0
    this.#disarm()
  }

  /** Arms the timer for `at`, counting from `now` (the effective time when re-arming after a fire). */
  #arm(at: number, now: number = performance.now()): void {
    this.#armedFor = at
    this.#timer = setTimeout(() => this.#expire(), Math.ceil(Math.max(0, at - now)))
    if (this.#unref) this.#timer.unref?.()
  }

  #disarm(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#queue = []
    this.#head = 0
  }

  /** Drops cancelled deadlines from the front, so a long-lived queue stays small. */
  #trim(): void {
    while (this.#head < this.#queue.length && this.#queue[this.#head]!.fire === undefined) this.#head++
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head)
      this.#head = 0
    }
  }

  #expire(): void {
    this.#timer = undefined
    const now = Math.max(performance.now(), this.#armedFor)
    while (this.#head < this.#queue.length) {
      const entry = this.#queue[this.#head]!
      if (entry.fire && entry.at > now) break
      this.#head++
      const fire = entry.fire
      if (!fire) continue
      const arg = entry.arg
      entry.fire = undefined
      entry.arg = undefined
      this.#live--
      fire(arg)
    }
    this.#trim()
    if (this.#live > 0) {
      clearTimeout(this.#timer) // an add() from a fire() above armed it for its own, later deadline
      this.#arm(this.#queue[this.#head]!.at, now)
    }
  }
}
