import { ManifestError, PluginNotFoundError, type PepperpyError, type ProviderAttempt } from '@pepperpy/plugin'
import { didYouMean } from '@pepperpy/plugin/spi'
import { followAliases, type AliasTarget } from '../aliases.js'
import type { DiscoveryResult } from '../discovery/discover.js'

/** What {@link notFound} needs to know about the registry. */
export interface NotFoundContext {
  type: string
  provider: string
  tried: ProviderAttempt[]
  scan: DiscoveryResult
  registered: string[]
  aliases: Map<string, AliasTarget>
  roots: string[]
}

/**
 * The error for `type/provider` found nowhere: a `ManifestError` when its
 * manifest was found but refused, otherwise a `PluginNotFoundError` with the roots searched, the
 * known providers of the type and the closest ids.
 */
export function notFound(c: NotFoundContext): PepperpyError {
  const { type, provider, scan } = c
  let real = provider
  try {
    real = followAliases(c.aliases, type, provider).provider
  } catch {
    // the loop is in `tried`
  }
  const refused = scan.refused.get(`${type}/${real}`) ?? scan.refused.get(`${type}/${provider}`)
  if (refused) {
    const where = `${refused.file ?? '(no file)'}${refused.field ? ` (field ${refused.field})` : ''}`
    return new ManifestError(`plugin "${type}/${real}" has a manifest that was refused: ${where}: ${refused.message}`, {
      pluginId: `${type}/${real}`,
      ...(refused.file ? { file: refused.file } : {}),
      ...(refused.field ? { field: refused.field } : {}),
    })
  }
  const ids = [...new Set([...scan.plugins.keys(), ...c.registered, ...c.aliases.keys()])].sort()
  const known = ids.filter((id) => id.startsWith(`${type}/`)).map((id) => id.slice(type.length + 1))
  const suggestions: string[] = []
  const closeProvider = didYouMean(provider, known)
  if (closeProvider !== undefined) suggestions.push(`${type}/${closeProvider}`)
  else {
    const closeId = didYouMean(`${type}/${provider}`, ids)
    if (closeId !== undefined) suggestions.push(closeId)
  }
  return new PluginNotFoundError(type, provider, c.tried, { roots: c.roots, known, suggestions })
}
