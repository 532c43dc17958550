/** Summary statistics of one measured quantity. */
export interface Stats {
  median: number
  min: number
  max: number
  /** (p75 - p25) / median, as a fraction: the spread between samples. */
  spread: number
  samples: number
}

/** One row of the results table and of `results/latest.json`. */
export interface CaseResult {
  id: string
  what: string
  /** Our value (median), in `unit`. */
  ours: number
  /** The peer's name, or null when the case reports an absolute figure. */
  peer: string | null
  /** The peer's value (median), in `unit`. */
  peerValue: number | null
  /** The figure the goal is about (defined per case; e.g. peer/ours for "x faster"). */
  ratio: number | null
  unit: string
  samples: number
  spread: number
  goal: string
  met: boolean
  note?: string
}

/** Options every case receives. */
export interface RunOptions {
  /** Tiny sizes, one sample: proves the harness works (CI). */
  smoke: boolean
}

/** A benchmark case. */
export interface BenchCase {
  id: string
  what: string
  goal: string
  run(options: RunOptions): Promise<CaseResult | CaseResult[]>
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

/** Median, range and spread of `values`. */
export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b)
  const median = quantile(sorted, 0.5)
  return {
    median,
    min: sorted[0]!,
    max: sorted.at(-1)!,
    spread: median === 0 ? 0 : (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / median,
    samples: sorted.length,
  }
}

/** Runs `fn` `warmup` times unmeasured, then `samples` times; returns the milliseconds of each sample. */
export async function sample(fn: () => unknown, options: { warmup: number; samples: number }): Promise<number[]> {
  for (let i = 0; i < options.warmup; i++) await fn()
  const out: number[] = []
  for (let i = 0; i < options.samples; i++) {
    const t0 = performance.now()
    await fn()
    out.push(performance.now() - t0)
  }
  return out
}

/**
 * Times `ours` and `peer` interleaved (A, B, A, B...) so machine noise hits both alike; returns
 * per-sample milliseconds for each.
 */
export async function sideBySide(
  ours: () => unknown,
  peer: () => unknown,
  options: { warmup: number; samples: number },
): Promise<{ ours: number[]; peer: number[] }> {
  for (let i = 0; i < options.warmup; i++) {
    await ours()
    await peer()
  }
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < options.samples; i++) {
    let t0 = performance.now()
    await ours()
    a.push(performance.now() - t0)
    t0 = performance.now()
    await peer()
    b.push(performance.now() - t0)
  }
  return { ours: a, peer: b }
}

/** Forces a full GC when node runs with --expose-gc. */
export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc
  if (g) {
    g()
    g()
  }
}
