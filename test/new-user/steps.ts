import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { App, firstTsBlock, namedBlocks, type PackageManager } from './app.js'

// What a new user does, in order. `firstHour` is the one test body; npm.test.ts and pnpm.test.ts
// each run it against their own fresh app (two files, so the two installs run in parallel).

/** How the package manager lays out `@pepperpy/plugin`, which the app never names itself. */
export interface ContractLayout {
  /** Whether `@pepperpy/plugin` is importable from the app folder. */
  resolvable: boolean
  /** The test's title: what the layout means for the app. */
  title: string
}

/**
 * The first hour of a new user with `pm`, from the packed tarballs: the contract's layout,
 * getting-started, a third-party plugin package, NodeNext type-checks and runs, the README snippet.
 */
export function firstHour(pm: PackageManager, contract: ContractLayout): void {
  const app = new App(pm)
  beforeAll(() => app.install(inject('packed')))
  afterAll(() => app.remove())

  describe(`a new ${pm} app outside the workspace, from the packed tarballs`, () => {
    it(contract.title, () => {
      expect(contractResolvable(app)).toBe(contract.resolvable)
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
}

/** The getting-started steps: scaffold, edit, validate, compile with NodeNext, run. */
export async function gettingStarted(app: App): Promise<void> {
  const guide = namedBlocks('docs/getting-started.md')
  for (const name of ['tsconfig.json', 'plugins/llm/echo/provider.ts', 'plugins/llm/echo/plugin.yaml', 'src/main.ts', 'src/typed.ts'])
    expect(Object.keys(guide), `docs/getting-started.md has a block starting "// ${name}"`).toContain(name)
  expect((await app.pepperpy(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/)
  const created = await app.must(app.pepperpy(['new', 'llm/echo']))
  expect(created.stdout).toContain('created plugins/llm/echo/plugin.yaml, provider.ts (validated and loaded)')
  // the app installed only the umbrella, so the scaffold imports from it
  expect(app.read('plugins/llm/echo/provider.ts')).toContain("from '@pepperpy/plugins'")
  for (const [name, text] of Object.entries(guide)) app.write(name, text)
  const validated = await app.pepperpy(['validate', '--load'])
  expect(validated.stdout).toBe('')
  // llm/echo and the plugin package's tts/acme and tts/acme-fast
  expect(validated.stderr).toBe('3 plugin(s) valid, 0 failed; 0 error(s), 0 warning(s)\n')
  expect(validated.code).toBe(0)
}

/** A plugin package from the registry (examples/acme-plugin, packed), found through the app's dependencies and typed per provider. */
export function writeThirdPartyUse(app: App): void {
  app.write(
    'src/acme.ts',
    `import { createProviderInstance, discoverPlugins, type PepperpyPlugin } from '@pepperpy/plugins'

interface Speaker extends PepperpyPlugin {
  speak(text: string): Promise<string>
}
declare module '@pepperpy/plugins' {
  interface PluginProviders {
    'tts/acme': Speaker
    'tts/acme-fast': Speaker
  }
}

const report = await discoverPlugins()
console.log(report.plugins.filter((p) => p.source === 'package').map((p) => \`\${p.type}/\${p.provider}\`).join(' '))
for (const id of ['tts/acme', 'tts/acme-fast'] as const) {
  const tts = await createProviderInstance(id)
  await tts.initialize()
  console.log(await tts.speak('plugins from packages'))
  await tts.cleanup()
}
`,
  )
}

/** Compiles the app with its tsconfig (NodeNext) and runs each program; what they printed, by file. */
export async function compileAndRun(app: App): Promise<Record<string, string>> {
  const tsc = await app.run('node', [join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'])
  expect(tsc.stdout + tsc.stderr).toBe('')
  expect(tsc.code).toBe(0)
  const out: Record<string, string> = {}
  for (const file of ['main', 'typed', 'acme']) {
    const ran = await app.must(app.run('node', [`dist/src/${file}.js`]))
    expect(ran.stderr).toBe('')
    out[file] = ran.stdout
  }
  return out
}

/** The README's first snippet, as its own program (it declares its own EchoLLM). */
export async function readmeSnippet(app: App): Promise<string> {
  app.write('readme/main.ts', firstTsBlock('README.md'))
  app.write(
    'readme/tsconfig.json',
    JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { outDir: '../dist-readme' }, include: ['.'] }),
  )
  const tsc = await app.run('node', [join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'readme/tsconfig.json'])
  expect(tsc.stdout + tsc.stderr).toBe('')
  const ran = await app.must(app.run('node', ['dist-readme/main.js']))
  expect(ran.stderr).toBe('')
  return ran.stdout
}

/** Whether `@pepperpy/plugin` can be imported from the app folder itself (pnpm: it cannot). */
export function contractResolvable(app: App): boolean {
  return existsSync(join(app.dir, 'node_modules', '@pepperpy', 'plugin', 'package.json'))
}
