/** Helpers shared by the cases. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger, PepperpyPlugin, type Logger } from '@pepperpy/plugins'
import { stats, type CaseResult } from '../harness.js'

/** A logger that prints nothing (warnings would distort timings). */
export const silent: Logger = createLogger({ level: 'silent' })

/**
 * Times several contenders interleaved (A, B, C, A, B, C...) after warm-up so machine noise hits
 * all alike; returns per-sample milliseconds of each, by name.
 */
export async function interleaved(
  contenders: Record<string, () => unknown>,
  options: { warmup: number; samples: number },
): Promise<Record<string, number[]>> {
  const names = Object.keys(contenders)
  for (let i = 0; i < options.warmup; i++) for (const n of names) await contenders[n]!()
  const out: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]))
  for (let i = 0; i < options.samples; i++) {
    for (const n of names) {
      const t0 = performance.now()
      await contenders[n]!()
      out[n]!.push(performance.now() - t0)
    }
  }
  return out
}

/** Median of `values`. */
export const median = (values: number[]): number => stats(values).median

/** Rounds for notes. */
export const r = (n: number, digits = 2): string => {
  const abs = Math.abs(n)
  return abs >= 100 ? n.toFixed(0) : abs >= 10 ? n.toFixed(1) : n.toFixed(digits)
}

/** A fresh temp folder; `dispose()` removes it. */
export function tempDir(prefix: string): { path: string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), `pepperpy-bench-${prefix}-`))
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) }
}

/** `n` distinct no-op plugin classes (one per plugin, as real plugins are). */
export function noopClasses(n: number): Array<typeof PepperpyPlugin> {
  const out: Array<typeof PepperpyPlugin> = []
  for (let i = 0; i < n; i++) {
    out.push(
      class extends PepperpyPlugin {
        override async initialize(): Promise<void> {}
      },
    )
  }
  return out
}

/**
 * Dependencies of a realistic graph: plugin i depends on up to `k` distinct earlier plugins, chosen
 * by a fixed pseudo-random sequence (the same graph every run).
 */
export function graphDeps(n: number, k: number, exact = false): number[][] {
  let seed = 0x2f6b_1d3
  const rand = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fff_ffff
    return seed / 0x8000_0000
  }
  const deps: number[][] = []
  for (let i = 0; i < n; i++) {
    const want = Math.min(i, exact ? k : Math.floor(rand() * (k + 1)))
    const set = new Set<number>()
    while (set.size < want) set.add(Math.floor(rand() * i))
    deps.push([...set])
  }
  return deps
}

/** Builds a CaseResult from its parts. */
export function result(r: CaseResult): CaseResult {
  return r
}
