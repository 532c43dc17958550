// @pepperpy/plugin: what a plugin author uses (the base class, errors, logger, manifest, types).
// The ports and helpers for wiring a system are in @pepperpy/plugin/spi; an app uses @pepperpy/plugins.
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
export type { InitializeOptions } from './lifecycle.js'
export { createLogger, silentLogger } from './logger.js'
export type { CreateLoggerOptions, Logger, LogFn, LogLevel } from './logger.js'
export { pluginManifestSchema } from './manifest.js'
export type { ManifestDependency, PluginManifest } from './manifest.js'
export { isPlugin } from './guards.js'
export { PepperpyPlugin } from './plugin.js'
export type { PluginClass, PluginStatics } from './plugin.js'
export type { ResourceOptions } from './ports/resources.js'
export type { SaveStateOptions, StateListener, StateStore, StoredState } from './ports/state.js'
export type { AcquireLeaseOptions, Lease, LeaseProvider } from './ports/lease.js'
export { isSecretKey, REDACTED, redactSecrets, redactText } from './secrets.js'
export type {
  BootFailurePolicy,
  DependencyGraph,
  DependencySpec,
  DependencyType,
  Diagnostic,
  DiscoveryReport,
  GraphEdge,
  GraphNode,
  JsonSchema,
  PluginInfo,
  PluginMetadata,
  PluginProviders,
  PluginSource,
  PluginState,
  PluginTypes,
} from './types.js'
// moved to @pepperpy/plugin/spi; deprecated here
export {
  addLifecycleHook,
  camelCase,
  childLogger,
  collectSecretValues,
  configSources,
  HOT_RELOADABLE,
  hotReloadableMark,
  initOf,
  instantiateResolved,
  isPluginClass,
  isUnsafeKey,
  knownManifestFields,
  lifecycleState,
  pluginContext,
  redactingLogger,
  scrubSecrets,
} from './legacy-exports.js'
export type {
  ConfigSource,
  HotReloadableMark,
  HotReloadHost,
  HotReloadTarget,
  LifecycleHook,
  LifecycleHookName,
  LifecyclePhase,
  LifecyclePolicy,
  LiveInstance,
  LoadModuleOptions,
  ModuleLoader,
  PluginContext,
  PluginResolver,
  ResolvedConfig,
  ResolvedPlugin,
  ResourcePoolPort,
} from './legacy-exports.js'
