// Issue #9 — paths: entry points and plugin roots that point where they must not.
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, statSync, symlinkSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cleanupAll, sideEffects, system, temp, write } from './helpers.js'

afterEach(cleanupAll)

/** A module that proves it was imported by setting a global. */
const evil = (flag: string) => `globalThis[${JSON.stringify(flag)}] = true\nexport class P {}\nexport default P\n`
const ids = (s: { listPlugins(): Array<{ type: string; provider: string }> }) => s.listPlugins().map((p) => `${p.type}/${p.provider}`)

describe('entry points that escape the plugin folder', () => {
  // a file: URL is read as a relative file named "file:..." inside the folder: not found (a warning), never imported
  const cases: Array<[string, (root: string, outside: string) => string, 'error' | 'warning']> = [
    ['a relative path with ..', () => '../../../outside/evil.js:P', 'error'],
    ['a ../ path that comes back in later', () => '../p/../../outside/evil.js:P', 'error'],
    ['an absolute path', (_root, outside) => `${join(outside, 'evil.js')}:P`, 'error'],
    ['a file: URL', (_root, outside) => `file://${join(outside, 'evil.js')}:P`, 'warning'],
  ]
  for (const [what, entry, severity] of cases) {
    it(`refuses ${what} at discovery and at load, and never imports it`, async () => {
      const base = temp()
      const root = join(base, 'plugins')
      const outside = join(base, 'outside')
      const flag = `__pepperpyRelEscape_${what.replace(/\W/g, '_')}`
      write(join(outside, 'evil.js'), evil(flag))
      const manifest = write(join(root, 'llm', 'evil', 'plugin.yaml'), `entry_point: ${JSON.stringify(entry(root, outside))}\n`)
      write(join(root, 'llm', 'ok', 'plugin.yaml'), 'entry_point: p.js:P\n')
      write(
        join(root, 'llm', 'ok', 'p.js'),
        "import { PepperpyPlugin } from '@pepperpy/plugin'\nexport class P extends PepperpyPlugin {}\n",
      )
      const s = system({ paths: [root] })
      const report = await s.discoverPlugins()
      expect(
        report.diagnostics.some((d) => d.file === manifest && d.severity === severity),
        JSON.stringify(report.diagnostics),
      ).toBe(true)
      await expect(s.createProviderInstance('llm', 'evil')).rejects.toThrow()
      expect(sideEffects[flag]).toBeUndefined()
      expect((await s.createProviderInstance('llm', 'ok')).pluginId).toBe('llm/ok')
    })
  }

  it('refuses an entry file that is a symlink to a file outside the plugin folder, and never imports it', async () => {
    const base = temp()
    const root = join(base, 'plugins')
    const flag = '__pepperpyRelSymlinkEntry'
    write(join(base, 'outside', 'evil.js'), evil(flag))
    const dir = join(root, 'llm', 'link')
    const manifest = write(join(dir, 'plugin.yaml'), 'entry_point: p.js:P\n')
    symlinkSync(join(base, 'outside', 'evil.js'), join(dir, 'p.js'))
    const s = system({ paths: [root] })
    const report = await s.discoverPlugins()
    await s.createProviderInstance('llm', 'link').catch(() => undefined)
    expect(sideEffects[flag]).toBeUndefined()
    expect(report.diagnostics.some((d) => d.file === manifest && d.severity === 'error')).toBe(true)
  })

  it('refuses an entry in a sub-folder that is a symlink out of the plugin folder', async () => {
    const base = temp()
    const root = join(base, 'plugins')
    const flag = '__pepperpyRelSymlinkDir'
    write(join(base, 'outside', 'evil.js'), evil(flag))
    const dir = join(root, 'llm', 'linkdir')
    const manifest = write(join(dir, 'plugin.yaml'), 'entry_point: lib/evil.js:P\n')
    symlinkSync(join(base, 'outside'), join(dir, 'lib'))
    const s = system({ paths: [root] })
    const report = await s.discoverPlugins()
    await s.createProviderInstance('llm', 'linkdir').catch(() => undefined)
    expect(sideEffects[flag]).toBeUndefined()
    expect(report.diagnostics.some((d) => d.file === manifest && d.severity === 'error')).toBe(true)
  })
})

describe('plugin roots', () => {
  it('survive symlink loops (self, parent, mutual) and still list the real plugins', async () => {
    const root = temp()
    write(join(root, 'llm', 'ok', 'plugin.yaml'), 'entry_point: p.js:P\n')
    symlinkSync(root, join(root, 'llm', 'self'))
    symlinkSync(join(root, 'llm'), join(root, 'llm', 'ok', 'up'))
    mkdirSync(join(root, 'a'))
    mkdirSync(join(root, 'b'))
    symlinkSync(join(root, 'b'), join(root, 'a', 'to-b'))
    symlinkSync(join(root, 'a'), join(root, 'b', 'to-a'))
    symlinkSync(join(root, 'dangling-target'), join(root, 'dangling'))
    const s = system({ paths: [root, join(root, 'llm', 'self')] })
    await s.discoverPlugins()
    expect(ids(s)).toContain('llm/ok')
    expect(ids(s).filter((id) => id === 'llm/ok')).toHaveLength(1)
  })

  it('a root that does not exist, or is a file, is reported or skipped without throwing', async () => {
    const base = temp()
    const file = write(join(base, 'not-a-folder'), 'x')
    const s = system({ paths: [join(base, 'missing'), file] })
    const report = await s.discoverPlugins()
    expect(report.plugins).toEqual([])
  })

  it('skips an unreadable plugin folder (chmod 000) with a diagnostic and lists the rest', async () => {
    const base = temp()
    write(join(base, 'llm', 'ok', 'plugin.yaml'), 'entry_point: p.js:P\n')
    const locked = join(base, 'llm', 'locked')
    write(join(locked, 'plugin.yaml'), 'entry_point: p.js:P\n')
    chmodSync(locked, 0o000)
    const restore: Array<() => void> = []
    try {
      let found: { ids: string[]; diagnostics: Array<{ file?: string }> }
      if (process.getuid?.() === 0) {
        // root reads any folder: discover as an unprivileged user instead (a real process, its own uid)
        chmodSync(base, 0o755)
        // the child must reach this repository: grant traverse (o+x) on ancestors that lack it (a
        // clone inside a 0700 temp folder), and restore them afterwards
        for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
          const mode = statSync(dir).mode & 0o777
          if ((mode & 0o001) === 0) {
            chmodSync(dir, mode | 0o001)
            restore.push(() => chmodSync(dir, mode))
          }
        }
        const script = join(import.meta.dirname, 'fixtures', 'discover-report.ts')
        const out = execFileSync(process.execPath, ['--conditions=@pepperpy/source', '--import', 'tsx', script, base], {
          encoding: 'utf8',
          uid: 65534,
          gid: 65534,
          env: { ...process.env, HOME: base, XDG_CACHE_HOME: join(base, 'cache') },
          cwd: import.meta.dirname,
        })
        found = JSON.parse(out.trim().split('\n').at(-1)!)
      } else {
        const s = system({ paths: [base] })
        const report = await s.discoverPlugins()
        found = { ids: ids(s), diagnostics: report.diagnostics }
      }
      expect(found.ids).toEqual(['llm/ok'])
      expect(found.diagnostics.some((d) => (d.file ?? '').includes('locked'))).toBe(true)
    } finally {
      chmodSync(locked, 0o755)
      for (const undo of restore) undo()
    }
  }, 60_000)
})
