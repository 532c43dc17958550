export { channels } from './channels.js'
export type {
  CallChannelContext,
  ChannelName,
  DiscoverChannelContext,
  LifecycleChannelContext,
  LoadChannelContext,
  PluginChannelContext,
  ReloadChannelContext,
  StateChannelContext,
} from './channels.js'
export type { LifecyclePolicy, PluginContext } from './context.js'
export {
  ConfigError,
  CircularDependencyError,
  DependencyError,
  HotReloadError,
  LeakError,
  ManifestError,
  PepperpyError,
  PluginCrashedError,
  PluginDisabledError,
  PluginInitError,
  PluginNotFoundError,
  PluginTimeoutError,
  ResourceError,
  StateConflictError,
  StateError,
  describeError,
} from './errors.js'
export type { ConfigIssue, PepperpyErrorCode, PepperpyErrorOptions, PluginNotFoundDetails, ProviderAttempt } from './errors.js'
export type { InitializeOptions, LifecycleHook, LifecycleHookName } from './lifecycle.js'
export { childLogger, createLogger, redactingLogger, silentLogger } from './logger.js'
export type { CreateLoggerOptions, Logger, LogFn, LogLevel } from './logger.js'
export { HOT_RELOADABLE, hotReloadableMark } from './markers.js'
export type { HotReloadableMark } from './markers.js'
export { camelCase, isUnsafeKey } from './keys.js'
export { knownManifestFields, pluginManifestSchema } from './manifest.js'
export type { ManifestDependency, PluginManifest } from './manifest.js'
export { isPlugin, isPluginClass } from './guards.js'
export { configSources, initOf, instantiatePlugin, instantiateResolved, lifecycleState, pluginContext } from './instantiate.js'
export { addLifecycleHook } from './hooks.js'
export type { LifecyclePhase } from './internal/state.js'
export type { PluginInit } from './init.js'
export { PepperpyPlugin } from './plugin.js'
export type { PluginClass, PluginStatics } from './plugin.js'
export type { HotReloadHost, HotReloadTarget, LiveInstance } from './ports/hot-reload.js'
export type { LoadModuleOptions, ModuleLoader } from './ports/loader.js'
export type { BootFailurePolicy, ConfigSource, PluginResolver, ResolvedConfig, ResolvedPlugin } from './ports/resolver.js'
export type { ResourceOptions, ResourcePoolPort } from './ports/resources.js'
export type { SaveStateOptions, StateListener, StateStore, StoredState } from './ports/state.js'
export type { AcquireLeaseOptions, Lease, LeaseProvider } from './ports/lease.js'
export {
  collectSecretValues,
  isSecretKey,
  markSecretKeys,
  REDACTED,
  redactSecrets,
  redactText,
  scrubSecrets,
  secretKeysOf,
} from './secrets.js'
export type {
  DependencySpec,
  DependencyType,
  Diagnostic,
  DiscoveryReport,
  JsonSchema,
  PluginInfo,
  PluginSource,
  PluginProviders,
  PluginTypes,
} from './types.js'
