import type { ConfigSource, ResolvedConfig } from '@pepperpy/plugin'
import { envNames, upperSnake } from '@pepperpy/plugin/spi'

/**
 * The isolate's `finalizeConfig`: environment values for class fields no other source set
 * from the variables the host handed over (only this plugin's own), by the registry's rule
 * (`envNames`: `PEPPERPY_<TYPE>__<PROVIDER>__<KEY>`, `PEPPERPY_<TYPE>__<KEY>`, `<PROVIDER>_API_KEY`);
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
      const raw = envNames(type, provider, field)
        .map((n) => env[n])
        .find((v) => v !== undefined)
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
