import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describeError } from '@pepperpy/plugins'
import type { GlobalOptions } from '../context.js'
import { systemFor } from '../context.js'
import { styles, type CliIO } from '../output.js'

const NAME = /^[a-z0-9][a-z0-9_.-]*$/i

function className(type: string, provider: string): string {
  const pascal = (s: string): string =>
    s
      .split(/[^a-z0-9]+/i)
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join('')
  return `${pascal(provider)}${pascal(type)}Plugin`
}

/** The files `pepperpy new` writes; `from` is the package the provider imports `PepperpyPlugin` from. */
export function scaffold(type: string, provider: string, from = '@pepperpy/plugin'): Record<string, string> {
  const cls = className(type, provider)
  return {
    'plugin.yaml': `name: ${type}/${provider}
version: 0.1.0
description: ${provider} provider for ${type}
entry_point: provider.ts:${cls}
# pepperpy: ">=0.1.0"          # compatible host versions
# hot_reload: true             # swap live instances when this folder changes
# dependencies:
#   - { type: embeddings, provider: hash, dependency_type: required }
config_schema:
  type: object
  properties:
    greeting:
      type: string
      default: hello
`,
    'provider.ts': `import { PepperpyPlugin } from '${from}'

/** ${provider} provider for ${type}. */
export class ${cls} extends PepperpyPlugin {
  /** Bound from config after construction (call > alias > env > default_config > schema default > this). */
  greeting = 'hello'

  override async initialize(): Promise<void> {
    this.logger.debug('initializing')
  }

  async run(input: string): Promise<string> {
    return \`\${this.greeting}, \${input}\`
  }

  override async cleanup(): Promise<void> {
    this.logger.debug('cleaning up')
  }
}
`,
  }
}

/** `pepperpy new <type>/<provider> [--dir d] [--force]`: scaffolds a plugin that validates and loads. */
export async function newCommand(
  io: CliIO,
  options: GlobalOptions & { id: string | undefined; dir: string | undefined; force: boolean },
): Promise<number> {
  const s = styles(io)
  const [type, provider, extra] = (options.id ?? '').split('/')
  if (!type || !provider || extra !== undefined || !NAME.test(type) || !NAME.test(provider)) {
    io.err(s.red('usage: pepperpy new <type>/<provider>  (letters, digits, "_", "-", "."; e.g. llm/my-model)'))
    return 2
  }
  const root = resolve(io.cwd, options.dir ?? 'plugins')
  const folder = join(root, type, provider)
  if (existsSync(folder) && !options.force) {
    io.err(s.red(`${relative(io.cwd, folder)} already exists; pick another name or pass --force`))
    return 1
  }
  mkdirSync(folder, { recursive: true })
  for (const [name, text] of Object.entries(scaffold(type, provider, contractImport(io.cwd)))) writeFileSync(join(folder, name), text)
  const system = systemFor(io, { paths: [root], noDefaultPaths: true })
  const report = await system.discoverPlugins()
  const problems = report.diagnostics.filter((d) => d.file?.startsWith(folder) && d.severity === 'error')
  try {
    if (problems.length > 0) throw new Error(problems.map((d) => d.message).join('; '))
    await system.registry.resolve(type, provider)
  } catch (error) {
    io.err(s.red(`scaffolded ${relative(io.cwd, folder)} but it does not load: ${describeError(error)}`))
    return 1
  } finally {
    await system.dispose()
  }
  io.out(`${s.green('created')} ${relative(io.cwd, folder) || folder}/plugin.yaml, provider.ts ${s.dim('(validated and loaded)')}`)
  io.out(`next: await createProviderInstance('${type}', '${provider}')`)
  return 0
}

/**
 * `@pepperpy/plugin` when the app depends on it directly; otherwise `@pepperpy/plugins`, the one an app
 * installs (with pnpm the contract is not resolvable from the app, so importing it would not type-check).
 */
function contractImport(cwd: string): string {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string> | undefined>
      const direct = ['dependencies', 'devDependencies', 'peerDependencies'].some((k) => pkg[k]?.['@pepperpy/plugin'] !== undefined)
      return direct ? '@pepperpy/plugin' : '@pepperpy/plugins'
    }
    if (dir === dirname(dir)) return '@pepperpy/plugins'
  }
}
