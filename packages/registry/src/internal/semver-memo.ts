import { lazyRequire } from './lazy.js'

/** The semver functions discovery uses; all pure functions of their arguments. */
export interface SemverCalls {
  validRange(range: string): string | null
  satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean
  valid(version: string): string | null
  lt(a: string, b: string): boolean
}

const answers = new Map<string, unknown>()
let added = false
/** Answers read from cache files, adopted on the first ask if their source still holds (see rememberSemver). */
const pending: Array<{ entries: unknown; trusted: () => boolean }> = []

const ask =
  <A extends unknown[], R>(name: keyof SemverCalls) =>
  (...args: A): R => {
    if (pending.length > 0) adoptPending()
    const key = JSON.stringify([name, ...args])
    if (answers.has(key)) return answers.get(key) as R
    const semver = lazyRequire<Record<string, (...a: unknown[]) => unknown>>('semver')
    const answer = semver[name]!(...args) as R
    if (answers.size < 5000) {
      answers.set(key, answer)
      added = true
    }
    return answer
  }

/**
 * semver's answers remembered by call, and kept across processes by the manifest cache (semver
 * itself takes tens of milliseconds to load: its regular expressions are built on require). An
 * answer depends only on the arguments (and semver's code, which the cache file records).
 */
export const semverMemo: SemverCalls = {
  validRange: ask('validRange'),
  satisfies: ask('satisfies'),
  valid: ask('valid'),
  lt: ask('lt'),
}

/** Whether an answer was added since the last {@link semverAnswers} call. */
export function semverChanged(): boolean {
  return added
}

/** Every remembered answer (those read from cache files included, when still trusted), for the cache file; `changed` says whether any was added since the last call. */
export function semverAnswers(): { entries: Array<[string, unknown]>; changed: boolean } {
  if (pending.length > 0) adoptPending()
  const changed = added
  added = false
  return { entries: [...answers], changed }
}

/**
 * Adds answers read from a cache file (only well-formed ones: a key naming one of the functions, a
 * string, null or boolean answer) on the first ask, when `trusted()` then says the semver that gave
 * them is still the one installed (checking costs a module resolution, paid only when an answer is needed).
 */
export function rememberSemver(entries: unknown, trusted: () => boolean = () => true): void {
  // a process that reads many cache files and never asks keeps a few, not all
  if (pending.length >= 8) adoptPending()
  pending.push({ entries, trusted })
}

function adoptPending(): void {
  for (const { entries, trusted } of pending.splice(0)) if (trusted()) adopt(entries)
}

function adopt(entries: unknown): void {
  if (!Array.isArray(entries)) return
  for (const entry of entries) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !/^\["(validRange|satisfies|valid|lt)",/.test(entry[0])) continue
    const answer = entry[1] as unknown
    if (answer === null || typeof answer === 'string' || typeof answer === 'boolean')
      if (!answers.has(entry[0])) answers.set(entry[0], answer)
  }
}
