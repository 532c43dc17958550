import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { useTempDirs, write } from '../__tests__/fixtures.js'
import { createModuleLoader } from '../module-loader.js'

const temp = useTempDirs()
const repo = resolve(import.meta.dirname, '../../../..')
const run = promisify(execFile)

/** Loads `file` in a separate node process (real Node: native import, no vitest runner); the distinct results. */
async function child(options: {
  file: string
  cacheDir: string | false
  native?: boolean
  fresh?: boolean
  runs?: number
  shared?: Record<string, unknown>
}): Promise<string[]> {
  const script = join(import.meta.dirname, '../__tests__/load-child.ts')
  const { stdout } = await run(process.execPath, ['--conditions=@pepperpy/source', '--import', 'tsx', script, JSON.stringify(options)], {
    cwd: repo,
    timeout: 120_000,
  })
  return JSON.parse(stdout) as string[]
}

const ts = (word: string): string =>
  `interface Shape { word: string }\nconst shape: Shape = { word: '${word}' }\nexport const describe = (): string => shape.word\n`

describe('the TypeScript transform cache', () => {
  it('is used by the next loader and process, and a changed source (same size and time) is transformed again', async () => {
    const dir = temp()
    const cacheDir = temp()
    const file = join(dir, 'p.ts')
    write(dir, { 'p.ts': ts('aaaa') })
    const loaded = await createModuleLoader({ cacheDir }).load(file)
    expect((loaded['describe'] as () => string)()).toBe('aaaa')
    const entries = readdirSync(join(cacheDir, 'transforms'))
    expect(entries).toHaveLength(1)
    expect(JSON.parse(readFileSync(join(cacheDir, 'transforms', entries[0]!), 'utf8')).source).toBe(ts('aaaa'))
    expect(await child({ file, cacheDir })).toEqual(['aaaa+jiti'])
    const { atime, mtime } = statSync(file)
    writeFileSync(file, ts('bbbb'))
    utimesSync(file, atime, mtime)
    expect(await child({ file, cacheDir })).toEqual(['bbbb+jiti'])
    const fresh = await createModuleLoader({ cacheDir }).load(file, { fresh: true })
    expect((fresh['describe'] as () => string)()).toBe('bbbb')
    expect(readdirSync(join(cacheDir, 'transforms'))).toHaveLength(2) // one per file and way of loading (fresh differs)
  }, 120_000)

  it('serves what the source says, not a planted or corrupt entry; a bad entry is replaced', async () => {
    const dir = temp()
    const cacheDir = temp()
    const file = join(dir, 'p.ts')
    write(dir, { 'p.ts': ts('real') })
    await createModuleLoader({ cacheDir }).load(file, { fresh: true })
    const entry = join(cacheDir, 'transforms', readdirSync(join(cacheDir, 'transforms'))[0]!)
    const good = JSON.parse(readFileSync(entry, 'utf8')) as { code: string; source: string }
    // an entry for an older source is never used for this one
    writeFileSync(entry, JSON.stringify({ ...good, source: ts('old!'), code: good.code.replace('real', 'fake') }))
    const a = await createModuleLoader({ cacheDir }).load(file, { fresh: true })
    expect((a['describe'] as () => string)()).toBe('real')
    for (const text of ['', '{', 'null', '{"format":1}', JSON.stringify({ ...good, code: 42 }), readFileSync(entry, 'utf8').slice(0, 50)]) {
      writeFileSync(entry, text)
      const ns = await createModuleLoader({ cacheDir }).load(file, { fresh: true })
      expect((ns['describe'] as () => string)(), text).toBe('real')
      expect(JSON.parse(readFileSync(entry, 'utf8')).source).toBe(ts('real'))
    }
  })

  it('stays correct while two processes use it at once and a third keeps tearing the entry', async () => {
    const dir = temp()
    const cacheDir = temp()
    const file = join(dir, 'p.ts')
    write(dir, { 'p.ts': ts('both') })
    await createModuleLoader({ cacheDir }).load(file, { fresh: true })
    const entry = join(cacheDir, 'transforms', readdirSync(join(cacheDir, 'transforms'))[0]!)
    const good = readFileSync(entry, 'utf8')
    let tearing = true
    const tear = (async () => {
      for (let i = 1; tearing; i++) {
        writeFileSync(entry, good.slice(0, (i * 131) % good.length))
        await new Promise((r) => setTimeout(r, 2))
      }
    })()
    const [a, b] = await Promise.all([child({ file, cacheDir, fresh: true, runs: 30 }), child({ file, cacheDir, fresh: true, runs: 30 })])
    tearing = false
    await tear
    expect(a).toEqual(['both+jiti'])
    expect(b).toEqual(['both+jiti'])
  }, 180_000)
})

describe('JavaScript entry points', () => {
  const mjs = `export const describe = () => typeof require === 'undefined' ? 'esm' : 'cjs'\n`

  it('are imported by Node itself unless hot-reloadable, and through jiti when Node cannot (a shared module not installed)', async () => {
    const dir = temp()
    write(dir, {
      'p.mjs': mjs,
      'uses-shared.mjs': `import { token } from 'host-services'\nexport const describe = () => token\n`,
    })
    expect(await child({ file: join(dir, 'p.mjs'), cacheDir: false })).toEqual(['esm'])
    // hot-reloadable: through jiti (which imports ES modules natively as well)
    expect(await child({ file: join(dir, 'p.mjs'), cacheDir: false, native: false })).toEqual(['esm+jiti'])
    const shared = { 'host-services': { token: 'from the host' } }
    expect(await child({ file: join(dir, 'uses-shared.mjs'), cacheDir: false, shared })).toEqual(['from the host+jiti'])
  }, 120_000)
})
