import { execFileSync } from 'node:child_process'
import { isBuiltin } from 'node:module'
import { init, parse } from 'es-module-lexer'
import { describe, expect, inject, it } from 'vitest'

// issue 16: every tarball a user installs carries the license its package.json names
describe('the packed tarballs', () => {
  const { published, thirdParty } = inject('packed')
  it('include every published package', () => {
    expect(Object.keys(published).sort()).toEqual(expect.arrayContaining(['@pepperpy/cli', '@pepperpy/plugin', '@pepperpy/plugins']))
  })
  it.each(Object.entries(published))('%s has LICENSE, dist and no tests', (_name, tarball) => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n')
    expect(files, `add LICENSE to the package folder and to "files" in its package.json`).toContain('package/LICENSE')
    expect(files).toContain('package/dist/index.js')
    expect(files).toContain('package/dist/index.d.ts')
    expect(files.filter((f) => /\.test\.ts$/.test(f))).toEqual([])
  })
  // issue 17: an ESM import of a built-in costs a resolution and the module's ESM facade (fs's loads
  // streams); the build turns them into process.getBuiltinModule (tsup.shared.ts)
  it.each(Object.entries(published))('%s imports no Node built-in through ESM at load', async (_name, tarball) => {
    await init
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => /^package\/dist\/[^/]+\.js$/.test(f))
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) {
      const text = execFileSync('tar', ['-xzOf', tarball, file], { encoding: 'utf8' })
      const statics = parse(text)[0].filter((i) => i.d === -1)
      expect(
        statics.filter((i) => i.n !== undefined && isBuiltin(i.n)).map((i) => text.slice(i.ss, i.se)),
        file,
      ).toEqual([])
      expect(text, file).toMatch(/\S/)
    }
  })
  // the rewrite restates import statements only: text that looks like one (the scaffold the CLI
  // writes for a new plugin package) is the source's own
  it('the CLI scaffolds the test file its source says', () => {
    const tarball = published['@pepperpy/cli']!
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n')
    const dist = files
      .filter((f) => /^package\/dist\/[^/]+\.js$/.test(f))
      .map((f) => execFileSync('tar', ['-xzOf', tarball, f], { encoding: 'utf8' }))
      .join('\n')
    expect(dist).toContain("import { fileURLToPath } from 'node:url'")
  })
  it('the third-party plugin package has its plugins', () => {
    expect(execFileSync('tar', ['-tzf', thirdParty], { encoding: 'utf8' })).toContain('package/plugins/tts/acme/plugin.yaml')
  })
})
