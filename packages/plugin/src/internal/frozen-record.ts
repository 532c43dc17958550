import { isUnsafeKey } from '../keys.js'
import { markSecretKeys, redactSecrets, secretKeysOf } from '../secrets.js'

const INSPECT = Symbol.for('nodejs.util.inspect.custom')

// shared by every record (one function each, not one closure per record)
function toJSON(this: object): unknown {
  return redactSecrets({ ...this }, secretKeysOf(this))
}
function inspectRecord(this: object, _depth: number, options: unknown, inspect?: (v: unknown, o: unknown) => string): string {
  const view = redactSecrets({ ...this }, secretKeysOf(this))
  return inspect ? inspect(view, options) : JSON.stringify(view)
}

function record<V>(): Record<string, V> {
  const out: Record<string, V> = {}
  Object.defineProperty(out, 'toJSON', { value: toJSON, enumerable: false })
  Object.defineProperty(out, INSPECT, { value: inspectRecord, enumerable: false })
  return out
}

/** Shared by every empty config and sources record (most plugins have no config). */
const EMPTY: Readonly<Record<string, never>> = Object.freeze(record<never>())

/**
 * A frozen copy of `entries` (unsafe keys dropped). `JSON.stringify(plugin.config)` and
 * `util.inspect(plugin.config)` show secrets redacted, like the plugin itself; `secretKeys` (a
 * schema's `writeOnly` keys) are redacted too.
 */
export function frozenRecord<V>(
  entries: ReadonlyArray<readonly [string, V]>,
  secretKeys?: ReadonlySet<string>,
): Readonly<Record<string, V>> {
  if (entries.length === 0) return EMPTY
  const out = record<V>()
  for (const [k, v] of entries) if (!isUnsafeKey(k)) out[k] = v
  if (secretKeys && secretKeys.size > 0) markSecretKeys(out, secretKeys)
  return Object.freeze(out)
}
