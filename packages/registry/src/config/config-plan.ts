import { ConfigError, isUnsafeKey, type ConfigIssue, type ConfigSource, type JsonSchema, type ResolvedConfig } from '@pepperpy/plugin'
import { lazyRequire } from '../internal/lazy.js'
import { safeRecord } from '../internal/names.js'
import { coerceEnv, envNames } from './env.js'

interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}
type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null }
const compiled = new WeakMap<object, Validate>()

function compile(schema: JsonSchema): Validate {
  let v = compiled.get(schema)
  if (!v) {
    const { Ajv } = lazyRequire<{ Ajv: new (o: Record<string, unknown>) => { compile(s: unknown): Validate } }>('ajv')
    v = new Ajv({ allErrors: true, strict: false }).compile(schema)
    compiled.set(schema, v)
  }
  return v
}

/** Everything about a plugin's config that does not change between calls (built once, cached). */
export interface ConfigPlan {
  pluginId: string
  type: string
  provider: string
  schema: JsonSchema | undefined
  /** Keys declared by schema, default_config or required_config_keys. */
  declared: string[]
  /** JSON Schema type of each declared key, for env coercion. */
  types: Record<string, string | undefined>
  schemaDefaults: Record<string, unknown>
  manifestDefaults: Record<string, unknown>
  required: string[]
}

/** Builds the plan for one plugin. */
export function makePlan(input: {
  type: string
  provider: string
  schema?: JsonSchema | undefined
  defaults?: Record<string, unknown> | undefined
  required?: string[] | undefined
}): ConfigPlan {
  const props = safeRecord(input.schema?.['properties'])
  const types: Record<string, string | undefined> = Object.create(null)
  const schemaDefaults: Record<string, unknown> = Object.create(null)
  for (const [key, prop] of Object.entries(props)) {
    const p = prop as { type?: unknown; default?: unknown }
    types[key] = typeof p.type === 'string' ? p.type : undefined
    if (p.default !== undefined) schemaDefaults[key] = p.default
  }
  const manifestDefaults = safeRecord(input.defaults)
  const required = (input.required ?? []).filter((k) => typeof k === 'string' && !isUnsafeKey(k))
  const declared = [...new Set([...Object.keys(props), ...Object.keys(manifestDefaults), ...required])]
  return { pluginId: `${input.type}/${input.provider}`, type: input.type, provider: input.provider, schema: input.schema, declared, types, schemaDefaults, manifestDefaults, required }
}

type Env = Record<string, string | undefined>

function fromEnv(plan: ConfigPlan, env: Env, key: string, type: string | undefined, issues: ConfigIssue[]): { found: boolean; value?: unknown } {
  for (const name of envNames(plan.type, plan.provider, key)) {
    const raw = env[name]
    if (raw === undefined) continue
    const { value, error } = coerceEnv(raw, type)
    if (error) issues.push({ key, message: `${name} ${error}` })
    return { found: true, value }
  }
  return { found: false }
}

/**
 * Merges config, highest first: call > alias layers (outer first) > environment > manifest
 * `default_config` > schema defaults; validates against the schema and required keys.
 * @throws ConfigError listing every problem
 */
export function resolveConfig(plan: ConfigPlan, call: Record<string, unknown>, aliasLayers: Record<string, unknown>[], env: Env): ResolvedConfig {
  const config: Record<string, unknown> = Object.create(null)
  const sources: Record<string, ConfigSource> = Object.create(null)
  const issues: ConfigIssue[] = []
  const set = (key: string, value: unknown, source: ConfigSource): void => {
    if (isUnsafeKey(key) || value === undefined) return
    config[key] = value
    sources[key] = source
  }
  for (const [k, v] of Object.entries(plan.schemaDefaults)) set(k, v, 'schema')
  for (const [k, v] of Object.entries(plan.manifestDefaults)) set(k, v, 'manifest')
  for (const key of plan.declared) {
    const hit = fromEnv(plan, env, key, plan.types[key], issues)
    if (hit.found) set(key, hit.value, 'env')
  }
  for (let i = aliasLayers.length - 1; i >= 0; i--) for (const [k, v] of Object.entries(safeRecord(aliasLayers[i]))) set(k, v, 'alias')
  for (const [k, v] of Object.entries(safeRecord(call))) set(k, v, 'call')
  for (const key of plan.required) {
    if (config[key] === undefined || config[key] === null || config[key] === '') issues.push({ key, message: `is required (pass it, or set ${envNames(plan.type, plan.provider, key)[0]})` })
  }
  if (plan.schema) {
    const validate = compile(plan.schema)
    if (!validate({ ...config })) {
      for (const e of validate.errors ?? []) {
        const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.')
        const key = e.keyword === 'required' ? String(e.params['missingProperty']) : e.keyword === 'additionalProperties' ? String(e.params['additionalProperty']) : path || '(config)'
        if (issues.some((i) => i.key === key)) continue
        issues.push({ key, message: e.keyword === 'additionalProperties' ? 'is not a known config key' : (e.message ?? 'is invalid') })
      }
    }
  }
  if (issues.length > 0) throw new ConfigError(plan.pluginId, issues)
  return { config: { ...config }, sources: { ...sources } }
}

/** Adds environment values for class fields that no other source set (DESIGN decision 3). */
export function finalizeWithFields(plan: ConfigPlan, base: ResolvedConfig, env: Env, fields: readonly string[], defaults: Readonly<Record<string, unknown>>): ResolvedConfig {
  const config = { ...base.config }
  const sources = { ...base.sources }
  const issues: ConfigIssue[] = []
  const snake = (f: string): string => f.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
  for (const field of fields) {
    if (isUnsafeKey(field) || field in config || snake(field) in config) continue
    const d = defaults[field]
    const type = typeof d === 'number' ? 'number' : typeof d === 'boolean' ? 'boolean' : Array.isArray(d) ? 'array' : d !== null && typeof d === 'object' ? 'object' : undefined
    const hit = fromEnv(plan, env, field, type, issues)
    if (hit.found && hit.value !== undefined) {
      Object.defineProperty(config, field, { value: hit.value, enumerable: true, writable: true, configurable: true })
      sources[field] = 'env'
    }
  }
  if (issues.length > 0) throw new ConfigError(plan.pluginId, issues)
  return { config, sources }
}
