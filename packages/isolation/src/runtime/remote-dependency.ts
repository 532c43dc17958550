import type { BirpcReturn } from 'birpc'
import type { HostFunctions, IsolateFunctions, RemoteDependency } from '../protocol.js'

/** A stand-in for a host-side dependency inside the isolate: its identity and config, and each method as an async call to the host. */
export function remoteDependency(key: string, d: RemoteDependency, host: BirpcReturn<HostFunctions, IsolateFunctions>): object {
  const i = d.pluginId.indexOf('/')
  const proxy: Record<string, unknown> = {
    pluginId: d.pluginId,
    pluginType: d.pluginId.slice(0, i),
    provider: d.pluginId.slice(i + 1),
    config: Object.freeze({ ...d.config }),
    initialized: true,
  }
  for (const method of d.methods) proxy[method] = (...args: unknown[]) => host.depCall(key, method, args)
  return Object.freeze(proxy)
}
