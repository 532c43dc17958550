import { ConfigError, isSecretKey, type ConfigIssue, type JsonSchema } from '@pepperpy/plugin'
import {
  collectSecretValues,
  isUnsafeKey,
  markSecretKeys,
  scrubSecrets,
  type ConfigSource,
  type ResolvedConfig,
} from '@pepperpy/plugin/spi'
import { safeRecord, snakeCase } from '../internal/names.js'
import { coerceEnv, envNames } from './env.js'
import { configValidator } from './validator.js'

type Env = Readonly<Record<string, string | undefined>>

/** Schema defaults, manifest defaults and environment values merged (the layers that do not change per call). */
interface BaseLayer {
  config: Record<string, unknown>
  sources: Record<string, ConfigSource>
  /** Environment values that could not be converted, by key (reported unless call or alias sets the key). */
  envIssues: Map<string, ConfigIssue>
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
  /** Environment variable names per key, memoized (made on first use: most plans never need it). */
  names: Map<string, string[]> | undefined
  /** The environment layer, with the raw values it was computed from (reused while they match). */
  base?: { env: Env; values: Array<string | undefined>; layer: BaseLayer }
  /** The schema names a property `Object.prototype` has (`constructor`...): validate without a prototype. */
  shadowsPrototype: boolean
  /** Properties the schema marks `writeOnly: true` (secret whatever their name). */
  secretKeys: ReadonlySet<string>
}

const NONE: string[] = Object.freeze([]) as unknown as string[]
const NO_KEYS: ReadonlySet<string> = new Set()
const EMPTY: Record<string, never> = Object.freeze(Object.create(null) as Record<string, never>)

/** The layer of a plan that declares nothing (never written to: resolveConfig copies it). */
const EMPTY_LAYER: BaseLayer = { config: EMPTY, sources: EMPTY, envIssues: new Map() }

/** Builds the plan for one plugin. */
export function makePlan(input: {
  type: string
  provider: string
  schema?: JsonSchema | undefined
  defaults?: Record<string, unknown> | undefined
  required?: readonly string[] | undefined
}): ConfigPlan {
  const pluginId = `${input.type}/${input.provider}`
  if (!input.schema && !input.defaults && !input.required?.length) {
    // nothing declared (most registered classes): share the empty parts
    return {
      pluginId,
      type: input.type,
      provider: input.provider,
      schema: undefined,
      declared: NONE,
      types: EMPTY,
      schemaDefaults: EMPTY,
      manifestDefaults: EMPTY,
      required: NONE,
      names: undefined,
      shadowsPrototype: false,
      secretKeys: NO_KEYS,
    }
  }
  const props = safeRecord(input.schema?.['properties'])
  const types: Record<string, string | undefined> = Object.create(null)
  const schemaDefaults: Record<string, unknown> = Object.create(null)
  const secretKeys = new Set<string>()
  for (const [key, prop] of Object.entries(props)) {
    const p = (typeof prop === 'object' && prop !== null ? prop : {}) as { type?: unknown; default?: unknown; writeOnly?: unknown }
    types[key] = typeof p.type === 'string' ? p.type : undefined
    if (p.default !== undefined) schemaDefaults[key] = p.default
    if (p.writeOnly === true) secretKeys.add(key)
  }
  const manifestDefaults = safeRecord(input.defaults)
  const required = (input.required ?? []).filter((k) => typeof k === 'string' && !isUnsafeKey(k))
  const declared = [...new Set([...Object.keys(props), ...Object.keys(manifestDefaults), ...required])]
  const shadowsPrototype = input.schema !== undefined && namesPrototypeMember(input.schema)
  return {
    pluginId,
    type: input.type,
    provider: input.provider,
    schema: input.schema,
    declared,
    types,
    schemaDefaults,
    manifestDefaults,
    required,
    names: undefined,
    shadowsPrototype,
    secretKeys: secretKeys.size > 0 ? secretKeys : NO_KEYS,
  }
}

/** True when `schema` mentions, anywhere, a name `Object.prototype` has (it could read it as inherited). */
function namesPrototypeMember(schema: JsonSchema): boolean {
  const json = JSON.stringify(schema)
  return Object.getOwnPropertyNames(Object.prototype).some((name) => json.includes(`"${name}"`))
}

function namesOf(plan: ConfigPlan, key: string): string[] {
  plan.names ??= new Map()
  let names = plan.names.get(key)
  if (!names) plan.names.set(key, (names = envNames(plan.type, plan.provider, key)))
  return names
}

/** The environment value of `key`, converted to `type`: found, and the value or the problem. */
function fromEnv(plan: ConfigPlan, env: Env, key: string, type: string | undefined): { value?: unknown; issue?: ConfigIssue } | undefined {
  for (const name of namesOf(plan, key)) {
    const raw = env[name]
    if (raw === undefined) continue
    const { value, error } = coerceEnv(raw, type)
    if (!error) return { value }
    const shown = isSecretKey(key, plan.secretKeys) ? error.replace(raw, '[redacted]') : error
    return { issue: { key, message: `${name} ${shown}` } }
  }
  return undefined
}

/** The values of every declared key's variables, in a fixed order (read live: no snapshot). */
function envValues(plan: ConfigPlan, env: Env): Array<string | undefined> {
  const values: Array<string | undefined> = []
  for (const key of plan.declared) for (const name of namesOf(plan, key)) values.push(env[name])
  return values
}

/** True when the variables still have the values the cached layer was built from. */
function unchanged(plan: ConfigPlan, cached: Array<string | undefined>, env: Env): boolean {
  let i = 0
  for (const key of plan.declared) for (const name of namesOf(plan, key)) if (env[name] !== cached[i++]) return false
  return true
}

function baseLayer(plan: ConfigPlan, env: Env): BaseLayer {
  // read live (only the declared keys' variables), so a variable set after start-up is seen; the
  // layer itself is rebuilt only when one of those values changed
  if (plan.declared.length === 0 && plan.schemaDefaults === EMPTY && plan.manifestDefaults === EMPTY) return EMPTY_LAYER
  if (plan.base?.env === env && unchanged(plan, plan.base.values, env)) return plan.base.layer
  const values = envValues(plan, env)
  // plain objects: their keys come from the schema and manifest, unsafe ones already dropped
  const config: Record<string, unknown> = {}
  const sources: Record<string, ConfigSource> = {}
  const envIssues = new Map<string, ConfigIssue>()
  for (const [k, v] of Object.entries(plan.schemaDefaults)) (config[k] = v), (sources[k] = 'schema')
  for (const [k, v] of Object.entries(plan.manifestDefaults)) if (v !== undefined) (config[k] = v), (sources[k] = 'manifest')
  for (const key of plan.declared) {
    const hit = fromEnv(plan, env, key, plan.types[key])
    if (hit?.issue) envIssues.set(key, hit.issue)
    else if (hit) (config[key] = hit.value), (sources[key] = 'env')
  }
  const layer = { config, sources, envIssues }
  plan.base = { env, values, layer }
  return layer
}

/**
 * Merges config, highest first: call > alias layers (outer first) > environment > manifest
 * `default_config` > schema defaults; validates against the schema and required keys. The
 * environment layer is computed once per plan and environment snapshot.
 * @throws ConfigError listing every problem
 */
export function resolveConfig(
  plan: ConfigPlan,
  call: Record<string, unknown>,
  aliasLayers: readonly Record<string, unknown>[],
  env: Env,
): ResolvedConfig {
  const base = baseLayer(plan, env)
  // plain objects (filled while in V8's fast mode: a null-prototype object from the start is a slow
  // dictionary, several µs per creation); the prototype is dropped only for ajv, below
  const config: Record<string, unknown> = Object.assign({}, base.config)
  const sources: Record<string, ConfigSource> = Object.assign({}, base.sources)
  for (let i = aliasLayers.length - 1; i >= 0; i--) setLayer(config, sources, aliasLayers[i]!, 'alias')
  setLayer(config, sources, call, 'call')
  const issues: ConfigIssue[] = []
  if (base.envIssues.size > 0)
    for (const [key, issue] of base.envIssues) if (sources[key] !== 'call' && sources[key] !== 'alias') issues.push(issue)
  for (const key of plan.required) {
    const v = config[key]
    if (v === undefined || v === null || v === '') issues.push({ key, message: `is required (${envHint(plan, key)})` })
  }
  if (plan.schema) {
    const validate = configValidator(plan.schema, plan.pluginId)
    // a schema naming `constructor` or `toString` must not see the inherited ones: it gets a copy without a prototype
    if (!validate(plan.shadowsPrototype ? Object.assign(Object.create(null) as object, config) : config)) {
      for (const e of validate.errors ?? []) {
        const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.')
        const key =
          e.keyword === 'required'
            ? String(e.params['missingProperty'])
            : e.keyword === 'additionalProperties'
              ? String(e.params['additionalProperty'])
              : path || '(config)'
        if (issues.some((i) => i.key === key)) continue
        const from = sources[key] ? ` (from ${sources[key]})` : ''
        issues.push({
          key,
          message:
            e.keyword === 'additionalProperties'
              ? 'is not a known config key'
              : e.keyword === 'required'
                ? `is required (${envHint(plan, key)})`
                : `${e.message ?? 'is invalid'}${from}`,
        })
      }
    }
  }
  if (issues.length > 0) throw configError(plan, issues, config)
  return { config: plan.secretKeys.size > 0 ? markSecretKeys(config, plan.secretKeys) : config, sources }
}

/** A ConfigError whose messages never print a secret value of `config` (ajv may quote values). */
function configError(plan: ConfigPlan, issues: ConfigIssue[], config: Record<string, unknown>): ConfigError {
  const secrets = collectSecretValues(config, plan.secretKeys)
  return new ConfigError(
    plan.pluginId,
    issues.map((i) => ({ key: i.key, message: scrubSecrets(i.message, secrets) })),
  )
}

/** `pass it, or set PEPPERPY_LLM__OPENAI__API_KEY or OPENAI_API_KEY`: where a required key can come from. */
function envHint(plan: ConfigPlan, key: string): string {
  const names = namesOf(plan, key).filter((_, i) => i !== 1) // the type-wide variable is shared by every provider
  return `pass it, or set ${names.join(' or ')}`
}

function setLayer(
  config: Record<string, unknown>,
  sources: Record<string, ConfigSource>,
  layer: Record<string, unknown>,
  source: ConfigSource,
): void {
  for (const key in layer) {
    if (!Object.hasOwn(layer, key)) continue
    const value = layer[key]
    if (value === undefined || isUnsafeKey(key)) continue
    config[key] = value
    sources[key] = source
  }
}

function fieldType(d: unknown): string | undefined {
  if (typeof d === 'number') return 'number'
  if (typeof d === 'boolean') return 'boolean'
  if (Array.isArray(d)) return 'array'
  return d !== null && typeof d === 'object' ? 'object' : undefined
}

/**
 * Adds environment values for class fields that no other source set; a
 * string is converted to the type of the field's class default.
 * @throws ConfigError when an environment value does not convert
 */
export function finalizeWithFields(
  plan: ConfigPlan,
  base: ResolvedConfig,
  env: Env,
  fields: readonly string[],
  defaults: Readonly<Record<string, unknown>>,
): ResolvedConfig {
  let config: Record<string, unknown> | undefined
  let sources: Record<string, ConfigSource> | undefined
  const issues: ConfigIssue[] = []
  for (const field of fields) {
    if (isUnsafeKey(field) || field in base.config || snakeCase(field) in base.config) continue
    const hit = fromEnv(plan, env, field, fieldType(defaults[field]))
    if (hit?.issue) issues.push(hit.issue)
    else if (hit && hit.value !== undefined) {
      config ??= { ...base.config }
      sources ??= { ...base.sources }
      Object.defineProperty(config, field, { value: hit.value, enumerable: true, writable: true, configurable: true })
      sources[field] = 'env'
    }
  }
  if (issues.length > 0) throw configError(plan, issues, base.config)
  if (!config || !sources) return base
  return { config: plan.secretKeys.size > 0 ? markSecretKeys(config, plan.secretKeys) : config, sources }
}
