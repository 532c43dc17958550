import type { HotReloadHost } from '@pepperpy/plugin/spi'
import type { PluginSystemOptions } from './options.js'
import { createPluginSystem, type PluginSystem } from './system.js'

const SYSTEM_KEY: unique symbol = Symbol.for('pepperpy.defaultSystem') as never
const HOST_KEY: unique symbol = Symbol.for('pepperpy.hotReloadHost') as never

interface GlobalSlots {
  [SYSTEM_KEY]?: PluginSystem
  [HOST_KEY]?: () => HotReloadHost
}

const slots = globalThis as GlobalSlots

/**
 * The process-wide default plugin system, created on first use and shared by every copy of this
 * package (kept under a `Symbol.for` key on `globalThis`).
 */
export function getPluginSystem(options?: PluginSystemOptions): PluginSystem {
  let system = slots[SYSTEM_KEY]
  if (!system) {
    system = createPluginSystem(options)
    slots[SYSTEM_KEY] = system
    slots[HOST_KEY] = () => getPluginSystem().hotReloadHost
  }
  return system
}

/** Cleans up every initialized instance the default system made, then forgets it (the next call makes a new one). */
export async function resetPluginSystem(): Promise<void> {
  const system = slots[SYSTEM_KEY]
  if (!system) return
  delete slots[SYSTEM_KEY]
  await system.dispose()
}
