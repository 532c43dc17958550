import type { ConfigSource, ResolvedConfig } from '@pepperpy/plugin'

/**
 * The isolate's `finalizeConfig`: environment values for class fields no other source set
 * from the variables the host handed over (only this plugin's own). Mirrors
 * the registry's rule: `PEPPERPY_<TYPE>__<PROVIDER>__<KEY>`, `PEPPERPY_<TYPE>__<KEY>`, `<PROVIDER>_API_KEY`;
 * the string becomes the type of the field's class default.
 */
export function finalizeFromEnv(
  type: string,
  provider: string,
  base: ResolvedConfig,
  env: Readonly<Record<string, string>>,
): (fields: readonly string[], defaults: Readonly<Record<string, unknown>>) => ResolvedConfig {
  return (fields, defaults) => {
    let out: ResolvedConfig | undefined
    for (const field of fields) {
      const snake = upperSnake(field)
      if (field in base.config || snake.toLowerCase() in base.config) continue
      const names = [`PEPPERPY_${upperSnake(type)}__${upperSnake(provider)}__${snake}`, `PEPPERPY_${upperSnake(type)}__${snake}`]
      if (snake === 'API_KEY') names.push(`${upperSnake(provider)}_API_KEY`)
      const raw = names.map((n) => env[n]).find((v) => v !== undefined)
      if (raw === undefined) continue
      out ??= { config: { ...base.config }, sources: { ...base.sources } }
      out.config[field] = coerce(raw, defaults[field])
      out.sources[field] = 'env' satisfies ConfigSource
    }
    return out ?? base
  }
}

/** Every environment variable `host` may hand to the isolate of `type/provider` (nothing of other plugins). */
export function envFor(type: string, provider: string, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const prefix = `PEPPERPY_${upperSnake(type)}__`
  const apiKey = `${upperSnake(provider)}_API_KEY`
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined && (k.startsWith(prefix) || k === apiKey)) out[k] = v
  return out
}

function coerce(raw: string, d: unknown): unknown {
  if (typeof d === 'number') return Number(raw.trim())
  if (typeof d === 'boolean') return ['true', '1', 'yes', 'on'].includes(raw.trim().toLowerCase())
  if (typeof d === 'object' && d !== null) {
    try {
      return JSON.parse(raw) as unknown
    } catch {
      return raw
    }
  }
  return raw
}

function upperSnake(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase()
}
