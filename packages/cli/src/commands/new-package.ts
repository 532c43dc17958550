import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { envNames } from '@pepperpy/plugins'
import { styles, type CliIO } from '../output.js'
import { scaffold } from './new.js'

const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/
const NAME = /^[a-z0-9][a-z0-9_.-]*$/i
// the contract this CLI runs with: @pepperpy/* versions move together (one fixed release group)
const VERSION = (createRequire(import.meta.url)('@pepperpy/plugins/package.json') as { version: string }).version

/** The files of a publishable third-party plugin package `name` providing `type/provider`. */
export function scaffoldPackage(name: string, type: string, provider: string): Record<string, string> {
  const plugin = scaffold(type, provider)
  const cls = /export class (\w+)/.exec(plugin['provider.ts']!)![1]!
  const dir = `plugins/${type}/${provider}`
  const range = `^${VERSION}`
  const pkg = {
    name,
    version: '0.1.0',
    description: `${provider} provider for ${type} (a PepperPy plugin)`,
    license: 'MIT',
    type: 'module',
    files: ['plugins', '!**/*.test.ts'],
    keywords: ['pepperpy', 'pepperpy-plugin', type],
    engines: { node: '>=20.19' },
    scripts: { test: 'node --import tsx --test test/plugin.test.ts', typecheck: 'tsc --noEmit' },
    pepperpy: { plugins: [`${dir}/plugin.yaml`] },
    peerDependencies: { '@pepperpy/plugin': range },
    devDependencies: {
      '@pepperpy/plugin': range,
      '@pepperpy/testing': range,
      '@types/node': '^20.19.0',
      tsx: '^4.19.0',
      typescript: '^5.6.0',
    },
  }
  return {
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    [`${dir}/plugin.yaml`]: plugin['plugin.yaml']!,
    [`${dir}/provider.ts`]: plugin['provider.ts']!,
    'test/plugin.test.ts': `import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createTestSystem } from '@pepperpy/testing'
import type { ${cls} } from '../${dir}/provider.ts'

// the package's own plugin root: the test checks plugin.yaml as well as the class
const plugins = fileURLToPath(new URL('../plugins', import.meta.url))

test('${type}/${provider} greets with its configured greeting', async () => {
  const system = createTestSystem({ paths: [plugins] })
  const plugin = await system.start<${cls}>('${type}', '${provider}', { greeting: 'hi' })
  assert.equal(await plugin.run('there'), 'hi, there')
  await system.dispose() // throws LeakError when the plugin left a timer, resource or pool behind
})

test('${type}/${provider} defaults to the schema greeting', async () => {
  const system = createTestSystem({ paths: [plugins] })
  const plugin = await system.start<${cls}>('${type}', '${provider}')
  assert.equal(await plugin.run('world'), 'hello, world')
  await system.dispose()
})
`,
    'tsconfig.json': `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          skipLibCheck: true,
          types: ['node'],
        },
        include: ['plugins', 'test'],
      },
      null,
      2,
    )}\n`,
    'README.md': `# ${name}

A [PepperPy](https://github.com/pepperpy/pepperpy-ts) plugin package: provides \`${type}/${provider}\`.

\`\`\`sh
pnpm add ${name} @pepperpy/plugins
\`\`\`

An app that lists this package in its \`dependencies\` finds the plugin by package discovery
(\`package.json\` → \`pepperpy.plugins\`):

\`\`\`ts
import { createProviderInstance } from '@pepperpy/plugins'

const plugin = await createProviderInstance('${type}', '${provider}', { greeting: 'hi' })
await plugin.initialize()
await plugin.run('there') // 'hi, there'
\`\`\`

## Config

| key | default | env |
|---|---|---|
| \`greeting\` | \`hello\` | \`${envNames(type, provider, 'greeting')[0]}\` |

## Develop

\`\`\`sh
pnpm install
pnpm test        # node:test + @pepperpy/testing: mocks, captured logs, leak check
pnpm typecheck
\`\`\`

\`@pepperpy/plugin\` is a peer dependency: the app's copy is the one your class extends.
`,
  }
}

/** `pepperpy new --package <name> [<type>/<provider>] [--dir d] [--force]`: a publishable plugin package. */
export async function newPackageCommand(
  io: CliIO,
  options: { name: string; id: string | undefined; dir: string | undefined; force: boolean },
): Promise<number> {
  const s = styles(io)
  const { name } = options
  if (!PACKAGE_NAME.test(name)) {
    io.err(s.red(`"${name}" is not a valid npm package name (lowercase; e.g. pepperpy-plugin-acme or @acme/pepperpy-tts)`))
    return 2
  }
  const [type, provider, extra] = (options.id ?? `tool/${defaultProvider(name)}`).split('/')
  if (!type || !provider || extra !== undefined || !NAME.test(type) || !NAME.test(provider)) {
    io.err(s.red('usage: pepperpy new --package <name> [<type>/<provider>]  (e.g. pepperpy new --package pepperpy-plugin-acme tts/acme)'))
    return 2
  }
  const folder = resolve(io.cwd, options.dir ?? '.', basename(name))
  if (existsSync(folder) && readdirSync(folder).length > 0 && !options.force) {
    io.err(s.red(`${relative(io.cwd, folder) || folder} already exists and is not empty; pick another name or pass --force`))
    return 1
  }
  const files = scaffoldPackage(name, type, provider)
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, file)), { recursive: true })
    writeFileSync(join(folder, file), text)
  }
  const where = relative(io.cwd, folder) || folder
  io.out(`${s.green('created')} ${where}/ (package ${name}, plugin ${type}/${provider})`)
  for (const file of Object.keys(files)) io.out(`  ${file}`)
  io.out(`next: cd ${where} && pnpm install && pnpm test`)
  return 0
}

function defaultProvider(name: string): string {
  return (
    basename(name)
      .replace(/^pepperpy-plugin-/, '')
      .replace(/^pepperpy-/, '') || 'example'
  )
}
