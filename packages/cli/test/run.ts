import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../src/main.js'

/** What one in-process run of the CLI printed and returned. */
export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** A throwaway app folder with its own HOME, so no test sees the machine's ~/.pepperpy. */
export interface Sandbox {
  cwd: string
  home: string
  write(rel: string, text: string): string
  run(args: string[], options?: { cwd?: string; env?: Record<string, string> }): Promise<CliRun>
  remove(): void
}

/** Creates a sandbox; `process.env.HOME` points at its home while it lives (each test file has its own process). */
export function sandbox(): Sandbox {
  const cwd = mkdtempSync(join(tmpdir(), 'pepperpy-cli-'))
  const home = mkdtempSync(join(tmpdir(), 'pepperpy-home-'))
  const previousHome = process.env['HOME']
  process.env['HOME'] = home
  return {
    cwd,
    home,
    write(rel, text) {
      const file = join(cwd, rel)
      mkdirSync(join(file, '..'), { recursive: true })
      writeFileSync(file, text)
      return file
    },
    async run(args, options = {}) {
      const out: string[] = []
      const err: string[] = []
      const code = await runCli(args, {
        out: (t) => void out.push(t),
        err: (t) => void err.push(t),
        color: false,
        cwd: options.cwd ?? cwd,
        env: { HOME: home, PEPPERPY_STATE_DIR: join(home, 'state'), ...options.env },
      })
      return { code, stdout: out.map((l) => `${l}\n`).join(''), stderr: err.map((l) => `${l}\n`).join('') }
    },
    remove() {
      if (previousHome === undefined) delete process.env['HOME']
      else process.env['HOME'] = previousHome
      rmSync(cwd, { recursive: true, force: true })
      rmSync(home, { recursive: true, force: true })
    },
  }
}

/** A provider module whose class is `name`. */
export const provider = (name: string): string =>
  `import { PepperpyPlugin } from '@pepperpy/plugin'\nexport class ${name} extends PepperpyPlugin {}\n`
