import { describeError, ConfigError, type JsonSchema } from '@pepperpy/plugin'
import { lazyRequire } from '../internal/lazy.js'
import { linearRegExp } from './linear-regexp.js'

/** One ajv error, as much of it as the registry reads. */
export interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

/** A compiled ajv validator. */
export type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null }

const compiled = new WeakMap<object, Validate>()

/**
 * The compiled validator of a config schema, compiled once per schema object (ajv loaded on first
 * use; one ajv instance per schema so two manifests may reuse an `$id`). No `coerceTypes`:
 * environment strings are converted before validation, and a call value of the wrong type is an error.
 * @throws ConfigError when the schema itself is not valid JSON Schema
 */
export function configValidator(schema: JsonSchema, pluginId: string): Validate {
  let v = compiled.get(schema)
  if (!v) {
    const { Ajv } = lazyRequire<{ Ajv: new (o: Record<string, unknown>) => { compile(s: unknown): Validate } }>('ajv')
    try {
      // patterns run on RE2 (linear time): a config value never blocks the event loop on a backtracking pattern
      v = new Ajv({ allErrors: true, strict: false, code: { regExp: linearRegExp } }).compile(schema)
    } catch (error) {
      throw new ConfigError(
        pluginId,
        [{ key: '(config_schema)', message: `is not a valid JSON Schema: ${describeError(error)}; fix the plugin's config_schema` }],
        { cause: error },
      )
    }
    compiled.set(schema, v)
  }
  return v
}
