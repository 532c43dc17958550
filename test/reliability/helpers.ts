// Shared helpers of the reliability suite: temp folders, isolated systems, a capturing logger.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createPluginSystem, MemoryStateStore, type Logger, type PluginSystem, type ResourcePool } from '@pepperpy/plugins'

export const SOAK = Boolean(process.env['PEPPERPY_SOAK'])

const dirs: string[] = []
const systems: PluginSystem[] = []

/** A fresh temp folder, removed by {@link cleanupAll}. */
export function temp(prefix = 'pepperpy-rel-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(d)
  return d
}

/** Writes `text` to `file`, creating its folder. */
export function write(file: string, text: string | Buffer): string {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
  return file
}

export interface Captured extends Logger {
  lines: string[]
  text(): string
}

/** A logger that keeps every line (level, message, arguments serialised) for assertions. */
export function capture(): Captured {
  const lines: string[] = []
  const show = (x: unknown): string => {
    if (x instanceof Error) return `${x.name}: ${x.message} ${x.stack ?? ''}`
    try {
      return typeof x === 'string' ? x : JSON.stringify(x)
    } catch {
      return String(x)
    }
  }
  const push =
    (level: string) =>
    (m: unknown, ...a: unknown[]) =>
      void lines.push([level, show(m), ...a.map(show)].join(' '))
  return { lines, text: () => lines.join('\n'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') }
}

/** An isolated system (no default roots, empty env, memory state, quiet logger) disposed by {@link cleanupAll}. */
export function system(options: Parameters<typeof createPluginSystem>[0] = {}): PluginSystem {
  const s = createPluginSystem({ defaultPaths: false, env: {}, stateStore: new MemoryStateStore(), logger: capture(), ...options })
  systems.push(s)
  return s
}

/** Disposes every system (errors ignored: faults tests make dispose fail on purpose) and removes temp folders. */
export async function cleanupAll(): Promise<void> {
  // bounded: a test may leave a plugin whose initialize hangs forever (see faults.test.ts)
  for (const s of systems.splice(0)) {
    await Promise.race([s.dispose().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())])
  }
  for (const d of dirs.splice(0)) {
    try {
      rmSync(d, { recursive: true, force: true })
    } catch {
      // an unreadable folder left by a test: make it removable
    }
  }
}

/** The system's pool with its test views (createPluginSystem always builds a ResourcePool). */
export function poolOf(s: PluginSystem): ResourcePool {
  return s.resources as ResourcePool
}

/** Collects unhandled rejections while `fn` runs. */
export async function watchUnhandled<T>(fn: () => Promise<T>): Promise<{ result: T; unhandled: unknown[] }> {
  const unhandled: unknown[] = []
  const on = (reason: unknown) => void unhandled.push(reason)
  process.on('unhandledRejection', on)
  try {
    const result = await fn()
    await new Promise((r) => setTimeout(r, 20))
    return { result, unhandled }
  } finally {
    process.off('unhandledRejection', on)
  }
}

/** Globals that fixture modules set when (and only when) they are imported. */
export const sideEffects = globalThis as unknown as Record<string, unknown>
