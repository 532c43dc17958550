import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'

// issue 16: the first commands a new user copies (test/new-user runs the code blocks themselves)
const guide = readFileSync(new URL('../../docs/getting-started.md', import.meta.url), 'utf8')

it('getting-started sets "type": "module" and installs @pepperpy/cli before the first npx pepperpy', () => {
  const install = /```sh\n([\s\S]*?)```/.exec(guide)?.[1] ?? ''
  expect(install).toContain('npm pkg set type=module')
  expect(install).toMatch(/npm i -D @pepperpy\/cli/)
  const firstNpx = guide.indexOf('npx pepperpy ')
  expect(firstNpx).toBeGreaterThan(guide.indexOf('npm i -D @pepperpy/cli'))
  expect(guide).not.toMatch(/npx pepperpy new[^\n]*\n[\s\S]*npm i -D @pepperpy\/cli/)
  expect(guide).toContain('npx @pepperpy/cli <command>')
})

it('the app-side examples import from the umbrella and augment it', () => {
  expect(guide).toContain("declare module '@pepperpy/plugins'")
  expect(guide).not.toContain("declare module '@pepperpy/plugin'")
  expect(guide).not.toContain("from '@pepperpy/plugin'\n")
})
