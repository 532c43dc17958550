import { isUnsafeKey } from '../keys.js'
import { redactSecrets } from '../secrets.js'

const INSPECT = Symbol.for('nodejs.util.inspect.custom')

/** A frozen copy of `entries` (unsafe keys dropped) whose JSON and inspect views redact secrets. */
export function frozenRecord<V>(entries: Iterable<[string, V]>): Readonly<Record<string, V>> {
  const out: Record<string, V> = {}
  for (const [k, v] of entries) {
    if (isUnsafeKey(k)) continue
    Object.defineProperty(out, k, { value: v, enumerable: true })
  }
  // `JSON.stringify(plugin.config)` and `util.inspect(plugin.config)` show secrets redacted too
  Object.defineProperty(out, 'toJSON', { value: () => redactSecrets({ ...out }), enumerable: false })
  Object.defineProperty(out, INSPECT, {
    value: (_d: number, o: unknown, inspect?: (v: unknown, o: unknown) => string) =>
      inspect ? inspect(redactSecrets({ ...out }), o) : JSON.stringify(redactSecrets({ ...out })),
    enumerable: false,
  })
  return Object.freeze(out)
}
