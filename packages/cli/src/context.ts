import { createLogger, createPluginSystem, type PluginSystem } from '@pepperpy/plugins'
import type { CliIO } from './output.js'
import { resolve } from 'node:path'

/** Options shared by every command. */
export interface GlobalOptions {
  /** Extra plugin roots (`--path`, repeatable). */
  paths: string[]
  /** Skip the default roots (`--no-default-paths`). */
  noDefaultPaths: boolean
}

/** A plugin system reading the same roots as the library would from `io.cwd`, quiet unless asked. */
export function systemFor(io: CliIO, options: GlobalOptions): PluginSystem {
  return createPluginSystem({
    cwd: io.cwd,
    env: io.env,
    paths: options.paths.map((p) => resolve(io.cwd, p)),
    defaultPaths: !options.noDefaultPaths,
    logger: createLogger({ level: io.env['PEPPERPY_LOG_LEVEL'] === 'debug' ? 'debug' : 'silent', write: io.err }),
  })
}
