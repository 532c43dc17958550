// Names that moved from the package root to @pepperpy/plugin/spi (the wiring tier), kept here as
// deprecated aliases so existing imports keep working. New code imports them from the spi.
import type { LifecyclePolicy as SpiLifecyclePolicy, PluginContext as SpiPluginContext } from './context.js'
import { isPluginClass as spiIsPluginClass } from './guards.js'
import { addLifecycleHook as spiAddLifecycleHook } from './hooks.js'
import { configSources as spiConfigSources, lifecycleState as spiLifecycleState, pluginContext as spiPluginContext } from './instantiate.js'
import { initOf as spiInitOf, instantiateResolved as spiInstantiateResolved } from './resolved.js'
import type { LifecyclePhase as SpiLifecyclePhase } from './internal/state.js'
import { camelCase as spiCamelCase, isUnsafeKey as spiIsUnsafeKey } from './keys.js'
import type { LifecycleHookName as SpiLifecycleHookName, LifecycleHook as SpiLifecycleHook } from './lifecycle.js'
import { childLogger as spiChildLogger, redactingLogger as spiRedactingLogger } from './logger.js'
import { knownManifestFields as spiKnownManifestFields } from './manifest.js'
import type { HotReloadableMark as SpiHotReloadableMark } from './markers.js'
import { HOT_RELOADABLE as SPI_HOT_RELOADABLE, hotReloadableMark as spiHotReloadableMark } from './markers.js'
import type { PepperpyPlugin } from './plugin.js'
import type * as hot from './ports/hot-reload.js'
import type * as loader from './ports/loader.js'
import type * as resolver from './ports/resolver.js'
import type { ResourcePoolPort as SpiResourcePoolPort } from './ports/resources.js'
import { collectSecretValues as spiCollectSecretValues, scrubSecrets as spiScrubSecrets } from './secrets.js'

/** @deprecated import it from `@pepperpy/plugin/spi` */
export const pluginContext: typeof spiPluginContext = spiPluginContext
/** @deprecated import it from `@pepperpy/plugin/spi` */
export const isPluginClass: typeof spiIsPluginClass = spiIsPluginClass
/** @deprecated import it from `@pepperpy/plugin/spi` */
export const configSources: typeof spiConfigSources = spiConfigSources
/** @deprecated import it from `@pepperpy/plugin/spi` */
export const initOf: typeof spiInitOf = spiInitOf
/** @deprecated import it from `@pepperpy/plugin/spi` */
export const instantiateResolved: typeof spiInstantiateResolved = spiInstantiateResolved
/** @deprecated import it from `@pepperpy/plugin/spi` */
export const lifecycleState: typeof spiLifecycleState = spiLifecycleState
/** @deprecated import it from `@pepperpy/plugin/spi` */
export const camelCase: typeof spiCamelCase = spiCamelCase
/** @deprecated import it from `@pepperpy/plugin/spi` */
export const isUnsafeKey: typeof spiIsUnsafeKey = spiIsUnsafeKey
/** @deprecated import it from `@pepperpy/plugin/spi` */
export const addLifecycleHook: typeof spiAddLifecycleHook = spiAddLifecycleHook
/** @deprecated import it from `@pepperpy/plugin/spi` */
export const childLogger: typeof spiChildLogger = spiChildLogger
/** @deprecated import it from `@pepperpy/plugin/spi` */
export const redactingLogger: typeof spiRedactingLogger = spiRedactingLogger
/** @deprecated import it from `@pepperpy/plugin/spi` */
export const knownManifestFields: typeof spiKnownManifestFields = spiKnownManifestFields
/** @deprecated import it from `@pepperpy/plugin/spi` */
export const HOT_RELOADABLE: typeof SPI_HOT_RELOADABLE = SPI_HOT_RELOADABLE
/** @deprecated import it from `@pepperpy/plugin/spi` */
export const hotReloadableMark: typeof spiHotReloadableMark = spiHotReloadableMark
/** @deprecated import it from `@pepperpy/plugin/spi` */
export const collectSecretValues: typeof spiCollectSecretValues = spiCollectSecretValues
/** @deprecated import it from `@pepperpy/plugin/spi` */
export const scrubSecrets: typeof spiScrubSecrets = spiScrubSecrets

/** @deprecated import it from `@pepperpy/plugin/spi` */
export type PluginContext = SpiPluginContext
/** @deprecated import it from `@pepperpy/plugin/spi` */
export type LifecyclePolicy = SpiLifecyclePolicy
/** @deprecated import it from `@pepperpy/plugin/spi` */
export type LifecyclePhase = SpiLifecyclePhase
/** @deprecated import it from `@pepperpy/plugin/spi` */
export type LifecycleHook = SpiLifecycleHook
/** @deprecated import it from `@pepperpy/plugin/spi` */
export type LifecycleHookName = SpiLifecycleHookName
/** @deprecated import it from `@pepperpy/plugin/spi` */
export type HotReloadableMark = SpiHotReloadableMark
/** @deprecated import it from `@pepperpy/plugin/spi` */
export type HotReloadHost = hot.HotReloadHost
/** @deprecated import it from `@pepperpy/plugin/spi` */
export type HotReloadTarget = hot.HotReloadTarget
/** @deprecated import it from `@pepperpy/plugin/spi` */
export type LiveInstance = hot.LiveInstance
/** @deprecated import it from `@pepperpy/plugin/spi` */
export type LoadModuleOptions = loader.LoadModuleOptions
/** @deprecated import it from `@pepperpy/plugin/spi` */
export type ModuleLoader = loader.ModuleLoader
/** @deprecated import it from `@pepperpy/plugin/spi` */
export type ConfigSource = resolver.ConfigSource
/** @deprecated import it from `@pepperpy/plugin/spi` */
export type PluginResolver = resolver.PluginResolver
/** @deprecated import it from `@pepperpy/plugin/spi` */
export type ResolvedConfig = resolver.ResolvedConfig
/** @deprecated import it from `@pepperpy/plugin/spi` */
export type ResolvedPlugin<T extends PepperpyPlugin = PepperpyPlugin> = resolver.ResolvedPlugin<T>
/** @deprecated import it from `@pepperpy/plugin/spi` */
export type ResourcePoolPort = SpiResourcePoolPort
