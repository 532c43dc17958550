import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { App } from './app.js'
import { compileAndRun, contractResolvable, gettingStarted, readmeSnippet, writeThirdPartyUse } from './steps.js'

// issue 16: a new user with pnpm installs only @pepperpy/plugins (and the CLI): '@pepperpy/plugin' is not resolvable from the app
const app = new App('pnpm')
beforeAll(() => app.install(inject('packed')))
afterAll(() => app.remove())

describe('a new pnpm app outside the workspace, from the packed tarballs', () => {
  it('cannot import @pepperpy/plugin itself (what typed lookups through the umbrella are for)', () => {
    expect(contractResolvable(app)).toBe(false)
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
