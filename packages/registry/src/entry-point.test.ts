import { mkdirSync, readdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs, write } from './__tests__/fixtures.js'
import { parseEntryPoint, resolveEntryPoint, resolveEntryPointIn } from './entry-point.js'

const temp = useTempDirs()

describe('parseEntryPoint', () => {
  it('splits module and export; the export is optional', () => {
    expect(parseEntryPoint('provider.ts:OpenAI')).toEqual({ module: 'provider.ts', exportName: 'OpenAI' })
    expect(parseEntryPoint('lib/provider')).toEqual({ module: 'lib/provider' })
    expect(parseEntryPoint('provider:')).toEqual({ module: 'provider' })
    expect(parseEntryPoint('C:\\plugins\\p.ts')).toEqual({ module: 'C:\\plugins\\p.ts' })
  })
})

describe('resolveEntryPoint', () => {
  it('tries .ts .mts .js .mjs .cjs in order, then <module>/index.*', () => {
    const dir = temp()
    write(dir, { 'a.js': '', 'a.mjs': '', 'lib/index.mjs': '', 'only.cjs': '' })
    expect(resolveEntryPoint(dir, 'a:X')).toEqual({ ok: true, file: join(dir, 'a.js'), exportName: 'X' })
    expect(resolveEntryPoint(dir, 'lib')).toEqual({ ok: true, file: join(dir, 'lib', 'index.mjs') })
    expect(resolveEntryPoint(dir, 'only')).toMatchObject({ ok: true, file: join(dir, 'only.cjs') })
    expect(resolveEntryPoint(dir, 'a.mjs')).toMatchObject({ ok: true, file: join(dir, 'a.mjs') })
  })

  it('refuses "..", absolute paths and symlinks out of the folder with errors', () => {
    const root = temp()
    const outside = temp()
    write(outside, { 'evil.ts': '' })
    const dir = join(root, 'plugin')
    mkdirSync(dir)
    symlinkSync(join(outside, 'evil.ts'), join(dir, 'link.ts'))
    expect(resolveEntryPoint(dir, '../plugin/../../evil.ts:P')).toMatchObject({
      ok: false,
      severity: 'error',
      message: expect.stringMatching(/escapes the plugin folder/),
    })
    expect(resolveEntryPoint(dir, `${join(outside, 'evil.ts')}:P`)).toMatchObject({
      ok: false,
      severity: 'error',
      message: expect.stringMatching(/absolute path/),
    })
    expect(resolveEntryPoint(dir, 'link.ts:P')).toMatchObject({
      ok: false,
      severity: 'error',
      message: expect.stringMatching(/symlink outside/),
    })
    expect(resolveEntryPoint(dir, '..:P')).toMatchObject({ ok: false, severity: 'error' })
    write(dir, { 'index.ts': '' })
    expect(resolveEntryPoint(dir, '.:P')).toEqual({ ok: true, file: join(dir, 'index.ts'), exportName: 'P' })
  })

  it('allows a symlink that stays inside the plugin folder', () => {
    const dir = temp()
    write(dir, { 'src/real.ts': '' })
    symlinkSync(join(dir, 'src', 'real.ts'), join(dir, 'entry.ts'))
    expect(resolveEntryPoint(dir, 'entry.ts')).toMatchObject({ ok: true, file: join(dir, 'entry.ts') })
  })

  it('a missing module is a warning listing the paths tried, with a hint for Python entry points', () => {
    const dir = temp()
    const missing = resolveEntryPoint(dir, 'provider.OpenAIProvider')
    expect(missing).toMatchObject({ ok: false, severity: 'warning' })
    if (missing.ok) return
    expect(missing.tried).toContain(join(dir, 'provider.OpenAIProvider.ts'))
    expect(missing.tried).toContain(join(dir, 'provider.OpenAIProvider', 'index.cjs'))
    expect(missing.message).toContain('looks like a Python entry point; write it as "provider.ts:OpenAIProvider"')
    expect(resolveEntryPoint(dir, 'nope.ts:X')).toMatchObject({ ok: false, severity: 'warning', tried: [join(dir, 'nope.ts')] })
  })

  it('with the folder listing, gives the same answers (symlinks are still checked on disk)', () => {
    const root = temp()
    const outside = temp()
    write(outside, { 'evil.ts': '' })
    const dir = join(root, 'plugin')
    write(dir, { 'a.js': '', 'lib/index.mjs': '', 'src/real.ts': '' })
    symlinkSync(join(outside, 'evil.ts'), join(dir, 'link.ts'))
    symlinkSync(join(dir, 'src', 'real.ts'), join(dir, 'entry.ts'))
    const listing = readdirSync(dir, { withFileTypes: true })
    for (const entry of ['a:X', 'a.js', 'lib', 'link.ts:P', 'entry.ts', 'nope.ts', '../x.ts', '.']) {
      expect(resolveEntryPointIn(dir, entry, listing)).toEqual(resolveEntryPoint(dir, entry))
    }
    expect(resolveEntryPointIn(dir, 'link.ts:P', listing)).toMatchObject({
      ok: false,
      severity: 'error',
      message: expect.stringMatching(/symlink outside/),
    })
  })
})
