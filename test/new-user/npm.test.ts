import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { App } from './app.js'
import { compileAndRun, contractResolvable, gettingStarted, readmeSnippet, writeThirdPartyUse } from './steps.js'

// issue 16: the same first hour with npm, which hoists @pepperpy/plugin into the app's node_modules
const app = new App('npm')
beforeAll(() => app.install(inject('packed')))
afterAll(() => app.remove())

describe('a new npm app outside the workspace, from the packed tarballs', () => {
  it('hoists @pepperpy/plugin (one copy, from the tarball)', () => {
    expect(contractResolvable(app)).toBe(true)
  })

  it('follows getting-started, uses a third-party plugin package, and type-checks and runs with NodeNext', async () => {
    await gettingStarted(app)
    writeThirdPartyUse(app)
    const out = await compileAndRun(app)
    expect(out['main']).toBe('hi: world\n')
    expect(out['typed']).toBe('echo: typed\n')
    expect(out['acme']).toBe('tts/acme tts/acme-fast\n[robot x1] plugins · from · packages\n[robot x2] plugins · from · packages\n')
  })

  it('runs the README snippet', async () => {
    expect(await readmeSnippet(app)).toBe('echo-2: hello\n')
  })
})
