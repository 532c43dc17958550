// Typed lookups that work through the umbrella alone: an app that installs only @pepperpy/plugins
// cannot name '@pepperpy/plugin' (pnpm does not hoist it), so the umbrella declares its own
// augmentable maps, which extend the contract's (augmenting either module types the lookups).
import type { PepperpyPlugin, PluginProviders as ContractPluginProviders, PluginTypes as ContractPluginTypes } from '@pepperpy/plugin'

/**
 * Map from plugin type to the interface its providers implement; augment it for typed
 * `createProviderInstance`. It extends `@pepperpy/plugin`'s map, so augmenting that one works too.
 * @example
 * declare module '@pepperpy/plugins' { interface PluginTypes { llm: LlmPlugin } }
 */
export interface PluginTypes extends ContractPluginTypes {}

/**
 * Map from `type/provider` to that provider's class; an entry wins over {@link PluginTypes}, so
 * two providers of one type with different methods can both be typed.
 * @example
 * declare module '@pepperpy/plugins' { interface PluginProviders { 'llm/openai': OpenAiLlm } }
 */
export interface PluginProviders extends ContractPluginProviders {}

/**
 * The class `createProviderInstance(type, provider)` resolves to: {@link PluginProviders}`['type/provider']`,
 * else {@link PluginTypes}`[type]`, else PepperpyPlugin.
 */
export type PluginOf<K extends string, P extends string = string> = `${K}/${P}` extends keyof PluginProviders
  ? PluginProviders[`${K}/${P}`]
  : K extends keyof PluginTypes
    ? PluginTypes[K]
    : PepperpyPlugin

/** {@link PluginOf} for one `type/provider` string, as `createProviderInstance('llm/openai')` takes. */
export type PluginOfId<Id extends string> = Id extends keyof PluginProviders
  ? PluginProviders[Id]
  : Id extends `${infer K}/${infer P}`
    ? PluginOf<K, P>
    : PepperpyPlugin

/** A typed `createProviderInstance`: by `(type, provider)` or by one `'type/provider'` string. */
export interface CreateProviderInstance {
  <K extends string, P extends string>(type: K, provider: P, config?: Record<string, unknown>): Promise<PluginOf<K, P>>
  <Id extends `${string}/${string}`>(id: Id, config?: Record<string, unknown>): Promise<PluginOfId<Id>>
}
