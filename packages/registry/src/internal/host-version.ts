import { createRequire } from 'node:module'
import { PepperpyError } from '@pepperpy/plugin'
import { lazyRequire } from './lazy.js'

let ownHostVersion: string | undefined

/** @pepperpy/plugin's version, read once per process. */
function hostVersionOf(): string {
  if (ownHostVersion !== undefined) return ownHostVersion
  try {
    ownHostVersion = (createRequire(import.meta.url)('@pepperpy/plugin/package.json') as { version: string }).version
  } catch {
    ownHostVersion = '0.0.0'
  }
  return ownHostVersion
}

/**
 * The host version to check manifests against, asked for only when a manifest states a range:
 * `version` when given (checked now), else @pepperpy/plugin's (looked up on the first ask: a module
 * resolution that a start-up whose manifests state no range does not pay).
 * @throws PepperpyError when `version` is not a semver version
 */
export function checkedHostVersion(version: string | undefined): () => string {
  if (version === undefined) return hostVersionOf
  if (typeof version === 'string' && lazyRequire<{ valid(v: string): string | null }>('semver').valid(version) !== null)
    return () => version
  throw new PepperpyError(`hostVersion ${JSON.stringify(version)} is not a semver version (e.g. "1.0.0"); fix the PluginRegistry options`)
}
