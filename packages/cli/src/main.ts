import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { didYouMean } from '@pepperpy/plugin/spi'
import { describeError } from '@pepperpy/plugins'
import { doctorCommand } from './commands/doctor.js'
import { graphCommand } from './commands/graph.js'
import { infoCommand } from './commands/info.js'
import { listCommand } from './commands/list.js'
import { newCommand } from './commands/new.js'
import { newPackageCommand } from './commands/new-package.js'
import { validateCommand } from './commands/validate.js'
import { processIO, styles, type CliIO } from './output.js'

const HELP: Record<string, string> = {
  '': `pepperpy — inspect and scaffold PepperPy plugins

Usage: pepperpy <command> [options]

Commands:
  list [--json]                          plugins found in the plugin roots
  info <type>/<provider> [--json]        what one plugin declares
  validate [path...] [--load]            check manifests (exit 1 when any is bad)
  graph [--format mermaid|dot|json]      the dependency graph (--health file.json marks failed plugins)
  new <type>/<provider> [--dir d]        scaffold a plugin that validates and loads
  new --package <name> [<type>/<provider>]  scaffold a publishable plugin package (with a test)
  doctor                                 roots, duplicates, compatibility, package copies

Global options:
  --path <dir>          add a plugin root (repeatable)
  --no-default-paths    skip ~/.pepperpy/plugins, ./plugins and PEPPERPY_PLUGIN_PATH
  -h, --help            help for a command
  -v, --version         print the version of @pepperpy/cli

Exit codes: 0 ok, 1 a problem was found, 2 bad usage.`,
  list: 'Usage: pepperpy list [--json]\n\nLists every plugin the roots provide (type/provider, version, source, description).',
  info: 'Usage: pepperpy info <type>/<provider> [--json]\n\nShows one plugin: manifest, entry point, dependencies and config keys.',
  validate:
    'Usage: pepperpy validate [path...] [--load]\n\nValidates manifests in the given roots, plugin folders or plugin.yaml files (default: every root).\nPrints one line per problem and exits 1 when any is an error. --load also imports each entry point.',
  graph:
    'Usage: pepperpy graph [--format mermaid|dot|json] [--health file.json]\n\nPrints the dependency graph of every known plugin (default format: mermaid).\n--health reads a health snapshot (the JSON of manager.health()) and marks failed and skipped plugins.',
  new: 'Usage: pepperpy new <type>/<provider> [--dir <root>] [--force]\n\nScaffolds <root>/<type>/<provider>/ (default root ./plugins) with plugin.yaml and provider.ts, then validates and loads it.\n\npepperpy new --package <name> [<type>/<provider>] [--dir <parent>] [--force]\nScaffolds <parent>/<name>/: package.json (peer dependency on @pepperpy/plugin, pepperpy.plugins), the plugin, a test written with @pepperpy/testing and a README.',
  doctor:
    'Usage: pepperpy doctor\n\nChecks plugin roots, duplicate providers, unreadable or incompatible manifests, and duplicate copies of @pepperpy/plugin.',
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIO = processIO()): Promise<number> {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (error) {
    return usageError(io, usageMessage(error as Error & { code?: string }))
  }
  const { values, positionals } = parsed
  const [command = '', ...rest] = positionals
  if (values.version) {
    io.out(cliVersion())
    return 0
  }
  if (values.help || command === 'help') {
    io.out(HELP[command === 'help' ? (rest[0] ?? '') : command] ?? HELP['']!)
    return 0
  }
  const arity = ARITY[command]
  if (arity !== undefined && rest.length > arity)
    return usageError(io, `pepperpy ${command}: unexpected argument "${rest[arity]}"`, command)
  const global = { paths: values.path, noDefaultPaths: values['no-default-paths'] }
  try {
    switch (command) {
      case 'list':
        return await listCommand(io, { ...global, json: values.json })
      case 'info':
        return await infoCommand(io, { ...global, json: values.json, id: rest[0] })
      case 'validate':
        return await validateCommand(io, { ...global, targets: rest, load: values.load })
      case 'graph':
        return await graphCommand(io, { ...global, format: values.format, health: values.health })
      case 'new':
        if (values.package !== undefined)
          return await newPackageCommand(io, { name: values.package, id: rest[0], dir: values.dir, force: values.force })
        return await newCommand(io, { ...global, id: rest[0], dir: values.dir, force: values.force })
      case 'doctor':
        return await doctorCommand(io, global)
      case '':
        io.out(HELP['']!)
        return 0
      default:
        return usageError(io, `unknown command "${command}"${suggest(command, Object.keys(ARITY))}`)
    }
  } catch (error) {
    io.err(styles(io).red(`pepperpy ${command}: ${describeError(error)}`))
    return 1
  }
}

/** How many positionals each command takes (validate: any number). */
const ARITY: Record<string, number> = { list: 0, info: 1, validate: Number.POSITIVE_INFINITY, graph: 0, new: 1, doctor: 0 }

/** Bad usage: the message, a pointer to the help, exit code 2. */
function usageError(io: CliIO, message: string, command = ''): number {
  io.err(styles(io).red(message))
  io.err(`Run \`pepperpy ${command ? `${command} ` : ''}--help\` for usage.`)
  return 2
}

/** parseArgs' errors in the CLI's words. */
function usageMessage(error: Error & { code?: string }): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1]
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option "${option}"${suggest(option, OPTION_NAMES)}`
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) return `option "${option}" needs a value`
  return error.message
}

/** `; did you mean "x"?` for the closest candidate (the same rule as every other suggestion), else nothing. */
function suggest(input: string, candidates: string[]): string {
  const best = didYouMean(input, candidates)
  return best ? `; did you mean "${best}"?` : ''
}

/** The version in @pepperpy/cli's package.json (one folder above both src/ and dist/). */
function cliVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      load: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      format: { type: 'string', default: 'mermaid' },
      dir: { type: 'string' },
      package: { type: 'string' },
      health: { type: 'string' },
      path: { type: 'string', multiple: true, default: [] },
      'no-default-paths': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
  })
}

/** The options `parse` knows, for "did you mean" (keep in step with it). */
const OPTION_NAMES = ['json', 'load', 'force', 'format', 'dir', 'package', 'health', 'path', 'no-default-paths', 'help', 'version'].map(
  (n) => `--${n}`,
)
