/**
 * The isolate side of `@pepperpy/isolation` (runs inside the worker thread or child process):
 * loads the plugin's entry module with the host's loader, builds an ordinary PepperpyPlugin with
 * the host's config, and serves `initialize`, `cleanup` and method calls over birpc. Its logger,
 * state store and dependencies are proxies of the host's.
 */
import { realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parentPort } from 'node:worker_threads'
import { createBirpc, type BirpcReturn } from 'birpc'
import { isPluginClass, PepperpyPlugin, type Logger, type ModuleLoader, type PluginClass, type StateStore } from '@pepperpy/plugin'
import { instantiatePlugin } from '@pepperpy/plugin/spi'
import { methodsOf } from './methods.js'
import {
  answered,
  deserialize,
  serialize,
  type HostFunctions,
  type IsolateFunctions,
  type StartReply,
  type StartRequest,
} from './protocol.js'
import { remoteDependency } from './runtime/remote-dependency.js'
import { finalizeFromEnv } from './runtime/field-env.js'
import { toWire } from './wire.js'

type Host = BirpcReturn<HostFunctions, IsolateFunctions>

/** Starts serving the host; called by the bootstrap script once this module is loaded. */
export function main(): void {
  const port = transport()
  let plugin: PepperpyPlugin | undefined
  const host: Host = createBirpc<HostFunctions, IsolateFunctions>(
    {
      async describe(request) {
        return methodsOf((await loadClass(request)).prototype, PepperpyPlugin.prototype)
      },
      async start(request) {
        plugin = await build(request, host)
        return reply(plugin)
      },
      initialize: () => need(plugin).initialize(),
      cleanup: () => need(plugin).cleanup(),
      async call(method, args) {
        const p = need(plugin) as unknown as Record<string, unknown>
        const fn = p[method]
        if (typeof fn !== 'function') throw new TypeError(`${need(plugin).pluginId} has no method "${method}"`)
        return await (fn as (...a: unknown[]) => unknown).apply(p, args)
      },
    },
    // a result that cannot be cloned fails its post: birpc then answers with that error instead
    { ...port, serialize, deserialize, timeout: -1, eventNames: ['log'], onGeneralError: answered },
  )
}

async function build(r: StartRequest, host: Host): Promise<PepperpyPlugin> {
  const Class = await loadClass(r)
  const base = { config: r.config, sources: r.sources as never }
  const deps = new Map(Object.entries(r.deps).map(([k, d]) => [k, remoteDependency(k, d, host)]))
  const stateStore: StateStore = {
    load: (key) => host.stateLoad(key),
    save: (key, state) => host.stateSave(key, state),
    delete: (key) => host.stateDelete(key),
  }
  return instantiatePlugin(Class, {
    type: r.type,
    provider: r.provider,
    config: r.config,
    sources: base.sources,
    finalizeConfig: finalizeFromEnv(r.type, r.provider, base, r.env),
    logger: forwardingLogger(host),
    context: {
      getDependency: (type, provider) => deps.get(provider ? `${type}/${provider}` : type),
      ...(r.stateStore ? { stateStore } : {}),
    },
  })
}

function reply(plugin: PepperpyPlugin): StartReply {
  return { methods: methodsOf(plugin, PepperpyPlugin.prototype), config: cloneable({ ...plugin.config }) }
}

async function loadClass(r: Pick<StartRequest, 'file' | 'exportName' | 'loader' | 'shared'>): Promise<PluginClass> {
  const ns = nativeLoadable(r.file) ? ((await import(pathToFileURL(r.file).href)) as Record<string, unknown>) : await viaLoader(r)
  const name = r.exportName ?? 'default'
  const Class = ns[name]
  if (!isPluginClass(Class)) throw new TypeError(`export "${name}" of ${r.file} is not a class extending PepperpyPlugin`)
  return Class
}

/** The host's module loader (jiti: TypeScript, shared host modules); loaded only when needed. */
async function viaLoader(r: Pick<StartRequest, 'file' | 'loader' | 'shared'>): Promise<Record<string, unknown>> {
  const shared: Record<string, unknown> = {}
  for (const [name, ref] of Object.entries(r.shared)) shared[name] = await importRef(ref)
  const { createModuleLoader } = (await importRef(r.loader)) as { createModuleLoader(o: object): ModuleLoader }
  return createModuleLoader({ sharedModules: shared }).load(r.file)
}

/**
 * True when `file` is JavaScript that Node imports natively and that resolves `@pepperpy/plugin`
 * to this runtime's own copy (so `instanceof` holds without the loader's shared modules): the
 * common case of a built plugin inside the app. Never for the bundled runtime of a source checkout.
 */
function nativeLoadable(file: string): boolean {
  if (process.env['PEPPERPY_ISOLATION_BUNDLED'] === '1' || !/\.(mjs|cjs|js)$/.test(file)) return false
  try {
    const theirs = realpathSync(createRequire(file).resolve('@pepperpy/plugin'))
    return theirs === realpathSync(fileURLToPath(import.meta.resolve('@pepperpy/plugin')))
  } catch {
    return false
  }
}

/** Imports `url`, or the export named by its `#fragment` (the bundled runtime of a source checkout). */
async function importRef(ref: string): Promise<unknown> {
  const hash = ref.indexOf('#')
  if (hash < 0) return import(ref)
  const ns = (await import(ref.slice(0, hash))) as Record<string, unknown>
  return ns[ref.slice(hash + 1)]
}

function need(plugin: PepperpyPlugin | undefined): PepperpyPlugin {
  if (!plugin) throw new Error('the isolated plugin was not started')
  return plugin
}

function forwardingLogger(host: Host): Logger {
  const send =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, ...args: unknown[]): void => {
      void host.log.asEvent(
        level,
        String(message),
        args.map((a) => (a instanceof Error ? toWire(a) : cloneable(a))),
      )
    }
  const logger: Logger = { debug: send('debug'), info: send('info'), warn: send('warn'), error: send('error'), child: () => logger }
  return logger
}

function cloneable<T>(value: T): T {
  try {
    return structuredClone(value)
  } catch {
    return String(value) as T
  }
}

function transport(): { post(m: unknown): void; on(fn: (m: unknown) => void): void } {
  if (parentPort) {
    const port = parentPort
    return { post: (m) => port.postMessage(m), on: (fn) => port.on('message', fn) }
  }
  const send = process.send?.bind(process)
  if (!send) throw new Error('@pepperpy/isolation runtime: started neither as a worker nor with an IPC channel')
  // a crash is reported before the process ends, so the host can name it
  const crash = (error: unknown): void => {
    send({ t: 'crash', e: toWire(error) }, undefined, {}, () => process.exit(70))
  }
  process.on('uncaughtException', crash)
  process.on('unhandledRejection', crash)
  process.on('disconnect', () => process.exit(0))
  return { post: (m) => send(m as never), on: (fn) => process.on('message', fn) }
}
