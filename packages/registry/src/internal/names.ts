import { isUnsafeKey, upperSnake } from '@pepperpy/plugin/spi'

/** `maxTokens` -> `max_tokens`. */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
}

/** A null-prototype copy of `value`'s own enumerable keys, unsafe keys dropped (no prototype pollution). */
export function safeRecord(value: unknown): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out
  for (const key of Object.keys(value)) {
    if (!isUnsafeKey(key)) out[key] = (value as Record<string, unknown>)[key]
  }
  return out
}

/** What a type or provider name may be (decision 20): 1–64 letters, digits, `.`, `_`, `-`, not starting with a punctuation. */
export const NAME_PATTERN: RegExp = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/** Why `name` cannot be a plugin type or provider, or undefined when it can. */
export function nameProblem(kind: 'type' | 'provider', name: unknown): string | undefined {
  if (typeof name !== 'string') return `${kind} must be a string (got ${name === null ? 'null' : typeof name})`
  if (NAME_PATTERN.test(name)) return undefined
  const shown = name.length > 80 ? `${JSON.stringify(name.slice(0, 40))}… (${name.length} characters)` : JSON.stringify(name)
  return `${kind} ${shown} is not a valid name: use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`
}

/** The environment prefix of `type/provider` (`PEPPERPY_LLM__OPEN_AI`): two ids with one prefix would read each other's variables. */
export function envPrefix(type: string, provider: string): string {
  return `PEPPERPY_${upperSnake(type)}__${upperSnake(provider)}`
}

/** The environment prefix of an id `type/provider`. */
export function prefixOf(id: string): string {
  const i = id.indexOf('/')
  return envPrefix(id.slice(0, i), id.slice(i + 1))
}
