import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { silentLogger, type Logger } from '@pepperpy/plugin'
import { afterEach } from 'vitest'

/** A temp folder removed by `cleanup()`. */
export function tempDir(): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), 'pepperpy-registry-'))
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) }
}

/** Writes `files` (relative path -> content) under `root`. */
export function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const file = join(root, rel)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, text)
  }
}

/** A TS provider module exporting `name` (default export when name is 'default'). */
export function provider(name: string, body = '', sideEffect = ''): string {
  const decl = name === 'default' ? 'export default class Plugin' : `export class ${name}`
  return `import { PepperpyPlugin } from '@pepperpy/plugin'\n${sideEffect}\n${decl} extends PepperpyPlugin {\n${body}\n}\n`
}

/** A logger that records warnings. */
export function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = []
  return { ...silentLogger, warnings, warn: (m: string) => void warnings.push(m) }
}

/** A `temp()` that makes temp folders, all removed after each test. */
export function useTempDirs(): () => string {
  const dirs: Array<{ cleanup(): void }> = []
  afterEach(() => {
    for (const d of dirs.splice(0)) d.cleanup()
  })
  return () => {
    const d = tempDir()
    dirs.push(d)
    return d.path
  }
}
