import { PepperpyError, type Logger } from '@pepperpy/plugin'
import type { PluginResolver } from '@pepperpy/plugin/spi'

/**
 * Checks that `target`'s `version` satisfies the `range` that `from` asks for, through the
 * resolver's semver check; warns when it cannot be checked.
 * @throws PepperpyError naming both plugins when the version is outside the range
 */
export function checkVersion(
  from: string,
  target: string,
  range: string | undefined,
  version: string | undefined,
  resolver: PluginResolver,
  logger: Logger,
): void {
  if (!range) return
  if (!version) return logger.warn(`${from} wants ${target} ${range}, but ${target} declares no version; not checked`)
  if (!resolver.satisfies)
    return logger.warn(`${from} wants ${target} ${range}; the resolver cannot check semver ranges, so it was not checked`)
  if (!resolver.satisfies(version, range)) {
    throw new PepperpyError(`${target} is version ${version}, but ${from} requires ${range}; install a compatible version`, {
      pluginId: from,
    })
  }
}
