// the naming rule lives in the contract, shared with isolated plugins' runtimes
export { envNames } from '@pepperpy/plugin/spi'

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
