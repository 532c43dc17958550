const SECRET_KEY = /key|secret|token|password|passwd|credential/i

/** The text that replaces a secret value wherever it would be shown. */
export const REDACTED = '[redacted]'

/** True when a config key looks like it holds a secret (`api_key`, `clientSecret`, `token`, ...). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key)
}

/** A copy of `value` with every secret-looking key (at any depth) replaced by `[redacted]`. */
export function redactSecrets<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value !== 'object' || value === null) return value
  if (seen.has(value)) return '[circular]'
  seen.add(value)
  if (Array.isArray(value)) return value.map((v) => redactValue(v, seen))
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, k, {
      value: isSecretKey(k) && v !== undefined && v !== null ? REDACTED : redactValue(v, seen),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return out
}

/** The string values of every secret-looking key in `config` (at any depth), for scrubbing text. */
export function collectSecretValues(config: Readonly<Record<string, unknown>>): string[] {
  const found: string[] = []
  const walk = (v: unknown, depth: number): void => {
    if (depth > 8 || typeof v !== 'object' || v === null) return
    for (const [k, inner] of Object.entries(v)) {
      if (isSecretKey(k) && (typeof inner === 'string' || typeof inner === 'number') && String(inner).length >= 4) {
        found.push(String(inner))
      } else walk(inner, depth + 1)
    }
  }
  walk(config, 0)
  return found
}

/** Replaces every occurrence of the given secret values in `text` with `[redacted]`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED)
  return out
}
