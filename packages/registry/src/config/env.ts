import { upperSnake } from '../internal/names.js'

/**
 * Environment variable names for config `key` of `type/provider`, highest precedence first:
 * `PEPPERPY_<TYPE>__<PROVIDER>__<KEY>`, `PEPPERPY_<TYPE>__<KEY>`, and for api keys `<PROVIDER>_API_KEY`.
 */
export function envNames(type: string, provider: string, key: string): string[] {
  const T = upperSnake(type)
  const P = upperSnake(provider)
  const K = upperSnake(key)
  const names = [`PEPPERPY_${T}__${P}__${K}`, `PEPPERPY_${T}__${K}`]
  if (K === 'API_KEY') names.push(`${P}_API_KEY`)
  return names
}

/** Converts an environment string to `type` (a JSON Schema type or the typeof of a class default). */
export function coerceEnv(raw: string, type: string | undefined): { value?: unknown; error?: string } {
  switch (type) {
    case 'number':
    case 'integer': {
      const n = Number(raw.trim())
      if (raw.trim() === '' || Number.isNaN(n) || (type === 'integer' && !Number.isInteger(n)))
        return { error: `must be ${type === 'integer' ? 'an integer' : 'a number'}, got "${raw}"` }
      return { value: n }
    }
    case 'boolean': {
      const v = raw.trim().toLowerCase()
      if (['true', '1', 'yes', 'on'].includes(v)) return { value: true }
      if (['false', '0', 'no', 'off', ''].includes(v)) return { value: false }
      return { error: `must be a boolean (true/false), got "${raw}"` }
    }
    case 'array':
    case 'object': {
      try {
        const value = JSON.parse(raw) as unknown
        if (type === 'array' ? Array.isArray(value) : typeof value === 'object' && value !== null && !Array.isArray(value)) return { value }
      } catch {
        // reported below
      }
      return { error: `must be JSON ${type === 'array' ? 'array' : 'object'}` }
    }
    default:
      return { value: raw }
  }
}
