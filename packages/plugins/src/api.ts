// The umbrella's public API: every name @pepperpy/plugins exports, as explicit re-exports. The package
// entry (index.ts) re-exports this module and hands it to plugin code as '@pepperpy/plugins'.

// The contract
export {
  addLifecycleHook,
  channels,
  childLogger,
  CircularDependencyError,
  collectSecretValues,
  ConfigError,
  configSources,
  createLogger,
  DependencyError,
  describeError,
  HOT_RELOADABLE,
  hotReloadableMark,
  HotReloadError,
  isSecretKey,
  knownManifestFields,
  LeakError,
  lifecycleState,
  ManifestError,
  PepperpyError,
  PepperpyPlugin,
  pluginContext,
  PluginCrashedError,
  PluginDisabledError,
  PluginInitError,
  pluginManifestSchema,
  PluginNotFoundError,
  PluginTimeoutError,
  REDACTED,
  redactingLogger,
  redactSecrets,
  ResourceError,
  scrubSecrets,
  silentLogger,
  StateConflictError,
  StateError,
} from '@pepperpy/plugin'
export type {
  BootFailurePolicy,
  ChannelName,
  ConfigIssue,
  ConfigSource,
  CreateLoggerOptions,
  DependencyGraph,
  DependencySpec,
  DependencyType,
  Diagnostic,
  DiscoveryReport,
  GraphEdge,
  GraphNode,
  HotReloadableMark,
  HotReloadHost,
  HotReloadTarget,
  InitializeOptions,
  JsonSchema,
  LifecycleHook,
  LifecycleHookName,
  LifecyclePhase,
  LifecyclePolicy,
  LiveInstance,
  LoadModuleOptions,
  LogFn,
  Logger,
  LogLevel,
  ManifestDependency,
  ModuleLoader,
  PepperpyErrorCode,
  PepperpyErrorOptions,
  PluginChannelContext,
  PluginClass,
  PluginContext,
  PluginInfo,
  PluginManifest,
  PluginMetadata,
  PluginResolver,
  PluginSource,
  PluginState,
  PluginStatics,
  ProviderAttempt,
  ResolvedConfig,
  ResolvedPlugin,
  ResourceOptions,
  ResourcePoolPort,
  StateStore,
  StoredState,
} from '@pepperpy/plugin'
// Registry
export { createModuleLoader, envNames, parseEntryPoint, PluginRegistry, readManifestFile, resolveEntryPoint } from '@pepperpy/registry'
export type { ModuleLoaderOptions, PluginRegistryOptions } from '@pepperpy/registry'
// Manager
export { formatBootReport, PluginManager, topologicalOrder } from '@pepperpy/manager'
export type {
  BootReport,
  BootReportPlugin,
  HealthReport,
  ManagerEvent,
  ManagerEventName,
  ManagerListener,
  PluginManagerOptions,
  PluginHealth,
  PluginMetadataInput,
} from '@pepperpy/manager'
// Resources
export {
  createPool,
  createResourcePool,
  createSharedResources,
  defaultResourcePool,
  ResourceMixin,
  resourcePoolOf,
} from '@pepperpy/resources'
export type { Pool, PoolOptions, PoolStats, ResourcePool, ResourcePoolStats, WithResources } from '@pepperpy/resources'
// Extensions
export {
  createReloadableHandle,
  FileStateStore,
  flushState,
  hotReloadablePlugin,
  MemoryStateStore,
  persistentPlugin,
} from '@pepperpy/extensions'
export type { FileStateStoreOptions, HotReloadHandle, HotReloadOptions, PersistentOptions, ReloadableHandle } from '@pepperpy/extensions'
// Isolation
// (the runtime itself, `createIsolation`, comes from @pepperpy/isolation and loads with the first isolated plugin)
export { isolationSpecOf, permissionModelAvailable, permissionPlan } from '@pepperpy/isolation/spec'
export type { Isolation, IsolationOptions, IsolationTarget } from '@pepperpy/isolation'
export type { IsolationMode, IsolationSpec, PermissionPlan, Permissions } from '@pepperpy/isolation/spec'
// The umbrella
export { isolationReport } from './isolation.js'
export type { IsolationReport } from './isolation.js'
export { autoContext } from './auto-context.js'
export { getPluginSystem, resetPluginSystem } from './default-system.js'
export {
  createProviderInstance,
  discoverPlugins,
  getPluginManager,
  listPlugins,
  registerPlugin,
  registerPluginAlias,
  registerPluginFallbacks,
  registerPluginPath,
  startHotReload,
} from './functional.js'
export { graphToDot, graphToMermaid } from './graph-format.js'
export type { GraphEdgeView, GraphNodeView, GraphView } from './graph-format.js'
export type { PluginSystemOptions } from './options.js'
export { createPluginSystem } from './system.js'
export type { PluginSystem } from './system.js'
export type { CreateProviderInstance, PluginOf, PluginOfId, PluginProviders, PluginTypes } from './typed-lookups.js'
