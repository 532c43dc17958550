import { camelCase, isUnsafeKey } from '../keys.js'
import type { ConfigSource, ResolvedConfig } from '../config-source.js'
import { secretKeysOf } from '../secrets.js'
import { frozenRecord } from './frozen-record.js'
import type { Internal } from './state.js'

function isConfigLike(value: unknown): boolean {
  if (value === null) return true
  const t = typeof value
  if (t === 'string' || t === 'number' || t === 'boolean') return true
  if (Array.isArray(value)) return true
  if (t === 'object') {
    const proto = Object.getPrototypeOf(value)
    return proto === Object.prototype || proto === null
  }
  return false
}

function fieldFor(plugin: object, key: string): string | undefined {
  if (isUnsafeKey(key)) return undefined
  if (Object.hasOwn(plugin, key)) return key
  const camel = camelCase(key)
  return camel !== key && Object.hasOwn(plugin, camel) ? camel : undefined
}

/** Binds config to the instance's own fields (after construction) and records every key's effective value. */
export function bindConfig(plugin: object, s: Internal): void {
  const fields = Object.keys(plugin).filter((k) => !isUnsafeKey(k))
  let resolved: ResolvedConfig = { config: s.config ?? s.rawConfig, sources: s.sources }
  if (s.finalize && fields.length > 0) {
    const defaults: Record<string, unknown> = {}
    for (const f of fields) defaults[f] = (plugin as unknown as Record<string, unknown>)[f] // unsafe keys were filtered out
    resolved = s.finalize(fields, defaults)
  }
  const covered = fields.length > 0 ? new Set<string>() : undefined
  const entries: Array<[string, unknown]> = []
  const sources: Array<[string, ConfigSource]> = []
  for (const [key, value] of Object.entries(resolved.config)) {
    if (isUnsafeKey(key)) continue
    entries.push([key, value])
    sources.push([key, resolved.sources[key] ?? 'call'])
    const field = fieldFor(plugin, key)
    if (field !== undefined) {
      covered?.add(field)
      ;(plugin as unknown as Record<string, unknown>)[field] = value
    }
  }
  for (const field of fields) {
    const value = (plugin as unknown as Record<string, unknown>)[field]
    if (covered!.has(field) || !isConfigLike(value)) continue
    entries.push([field, value])
    sources.push([field, 'class'])
  }
  s.config = frozenRecord(entries, new Set([...secretKeysOf(s.rawConfig), ...secretKeysOf(resolved.config)]))
  s.sources = frozenRecord(sources)
  s.logger = undefined // rebuilt on next use, with the final config's secrets
  s.bound = true // only now: a failed finalize (a bad environment value) is retried by the next initialize()
}
