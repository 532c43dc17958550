import { PepperpyError, PepperpyPlugin, type DependencySpec, type Logger, type PluginClass } from '@pepperpy/plugin'
import type { PluginResolver, ResolvedPlugin } from '@pepperpy/plugin/spi'

/** Test input of {@link memoryResolver}. */
export interface MemoryResolverInput {
  classes: Record<string, PluginClass>
  deps?: Record<string, DependencySpec[]>
  versions?: Record<string, string>
  manifests?: Record<string, string>
  /** `type/alias` -> real provider. */
  aliases?: Record<string, string>
  /** Set to false for a resolver that cannot check semver ranges. */
  semver?: boolean
  /** Also implement `resolveNow` (synchronous, like the registry's for registered classes). */
  now?: boolean
}

/** A small in-memory implementation of the contract's `PluginResolver` port, counting resolves. */
export function memoryResolver(input: MemoryResolverInput): PluginResolver & { resolves: number } {
  const { classes, deps = {}, versions = {}, manifests = {}, aliases = {} } = input
  const real = (type: string, provider: string): string => aliases[`${type}/${provider}`] ?? provider
  const r: PluginResolver & { resolves: number } = {
    resolves: 0,
    has: (type, provider) => `${type}/${real(type, provider)}` in classes,
    async resolve(type, requested, config = {}): Promise<ResolvedPlugin> {
      return resolveSync(type, requested, config)
    },
  }
  function resolveSync(type: string, requested: string, config: Record<string, unknown>): ResolvedPlugin {
    r.resolves++
    const provider = real(type, requested)
    const id = `${type}/${provider}`
    const PluginClass = classes[id]
    if (!PluginClass) throw new PepperpyError(`plugin "${type}/${requested}" not found`)
    const info = {
      type,
      provider,
      source: 'registered' as const,
      ...(versions[id] ? { version: versions[id] } : {}),
      ...(manifests[id] ? { manifestPath: manifests[id] } : {}),
    }
    return {
      type,
      provider,
      requestedProvider: requested,
      PluginClass,
      config: { ...config },
      sources: {},
      dependencies: deps[id] ?? [],
      hotReload: false,
      info,
    }
  }
  if (input.now) r.resolveNow = (type, requested, config = {}) => resolveSync(type, requested, config)
  if (input.semver !== false) {
    r.satisfies = (v, range) => (range.startsWith('^') ? v.split('.')[0] === range.slice(1).split('.')[0] : v === range)
  }
  return r
}

/** A plugin class that records lifecycle calls into `log`. */
export function recorder(log: string[], opts: { initMs?: number; fail?: string; cleanupFail?: string } = {}): PluginClass {
  return class extends PepperpyPlugin {
    override async initialize(): Promise<void> {
      log.push(`init:${this.pluginId}:start`)
      if (opts.initMs) await sleep(opts.initMs)
      if (opts.fail) throw new Error(opts.fail)
      log.push(`init:${this.pluginId}`)
    }
    override async cleanup(): Promise<void> {
      log.push(`cleanup:${this.pluginId}`)
      if (opts.cleanupFail) throw new Error(opts.cleanupFail)
    }
  }
}

/** Finished inits (`init:<id>`) in order. */
export const inits = (log: readonly string[]): string[] => log.filter((l) => l.startsWith('init:') && !l.endsWith(':start'))

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** A logger that keeps warnings and errors. */
export function capturingLogger(): Logger & { warnings: string[]; errors: string[] } {
  const warnings: string[] = []
  const errors: string[] = []
  return { warnings, errors, debug: () => {}, info: () => {}, warn: (m) => void warnings.push(m), error: (m) => void errors.push(m) }
}
