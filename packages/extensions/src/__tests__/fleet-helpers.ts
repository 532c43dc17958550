// Shared helpers of the persistence fault and fleet tests: temp folders, a capturing logger, child processes.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Logger } from '@pepperpy/plugin'

const made: string[] = []

/** A fresh temp folder, removed by {@link removeTemps}. */
export function tempDir(prefix = 'pepperpy-fleet-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix))
  made.push(d)
  return d
}

/** Removes every folder made by {@link tempDir}. */
export function removeTemps(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true })
}

/** A logger that records every line by level. */
export function capture(): Logger & { lines: Record<'debug' | 'info' | 'warn' | 'error', string[]> } {
  const lines = { debug: [] as string[], info: [] as string[], warn: [] as string[], error: [] as string[] }
  return {
    lines,
    debug: (m: string) => void lines.debug.push(m),
    info: (m: string) => void lines.info.push(m),
    warn: (m: string) => void lines.warn.push(m),
    error: (m: string) => void lines.error.push(m),
  }
}

/** Runs a TypeScript script in a real Node process (tsx, workspace sources); resolves with its exit code and output. */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@pepperpy/source', '--import', 'tsx', script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c))
    child.stderr.on('data', (c: Buffer) => (stderr += c))
    child.once('error', reject)
    child.once('exit', (code) => resolve({ code, stdout, stderr }))
  })
}
