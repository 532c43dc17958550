import { PluginNotFoundError } from '@pepperpy/plugin'

/** An alias: another name for a provider, with preset config. */
export interface AliasTarget {
  provider: string
  config: Record<string, unknown>
}

/** What an alias chain resolves to: the real provider and the config layers, outermost first. */
export interface AliasResolution {
  provider: string
  layers: Record<string, unknown>[]
  chain: string[]
}

const NO_LAYERS: Record<string, unknown>[] = []

/**
 * Follows aliases of `type` from `name` to a provider that is not an alias.
 * @throws PluginNotFoundError naming the loop when the chain cycles
 */
export function followAliases(aliases: ReadonlyMap<string, AliasTarget>, type: string, name: string): AliasResolution {
  if (aliases.size === 0 || !aliases.has(`${type}/${name}`)) return { provider: name, layers: NO_LAYERS, chain: [name] }
  const layers: Record<string, unknown>[] = []
  const chain = [name]
  let current = name
  for (let target = aliases.get(`${type}/${current}`); target; target = aliases.get(`${type}/${current}`)) {
    layers.push(target.config)
    current = target.provider
    if (chain.includes(current)) {
      chain.push(current)
      throw new PluginNotFoundError(type, name, [{ provider: name, reason: `alias loop ${chain.map((p) => `${type}/${p}`).join(' -> ')}` }])
    }
    chain.push(current)
  }
  return { provider: current, layers, chain }
}
