/**
 * Encodes the values a YAML parse makes (mappings with or without a prototype, sequences, Map, Set,
 * Date, Buffer/Uint8Array, every number, undefined, bigint) as JSON text and back, exactly: JSON
 * alone loses `NaN`, `-0`, `Infinity`, prototypes and the tagged kinds. Anything else (functions,
 * symbols, class instances) is refused with {@link Uncacheable}, so such a value is never cached.
 */

/** Thrown for a value the codec cannot represent exactly. */
export class Uncacheable extends Error {}

type Encoded = string | boolean | null | number | Encoded[]

/** The JSON-ready form of `value`: primitives as they are, everything else as `[tag, ...]`. */
export function encode(value: unknown): Encoded {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? value : ['n', Object.is(value, -0) ? '-0' : String(value)]
    case 'undefined':
      return ['u']
    case 'bigint':
      return ['i', value.toString()]
    case 'object': {
      if (value === null) return null
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) throw new Uncacheable('array subclass')
        const out: Encoded[] = ['a']
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw new Uncacheable('sparse array')
          out.push(encode(value[i]))
        }
        return out
      }
      const proto = Object.getPrototypeOf(value)
      if (proto === Object.prototype || proto === null) {
        const out: Encoded[] = [proto === null ? '0' : 'o']
        for (const key of Reflect.ownKeys(value)) {
          if (typeof key !== 'string') throw new Uncacheable('symbol key')
          const d = Object.getOwnPropertyDescriptor(value, key)!
          if (!('value' in d) || !d.enumerable) throw new Uncacheable('accessor or hidden property')
          out.push(key, encode(d.value))
        }
        return out
      }
      if (value instanceof Map && proto === Map.prototype) return ['m', ...[...value].flatMap(([k, v]) => [encode(k), encode(v)])]
      if (value instanceof Set && proto === Set.prototype) return ['s', ...[...value].map(encode)]
      if (value instanceof Date && proto === Date.prototype) return ['d', value.getTime()]
      if (Buffer.isBuffer(value)) return ['B', value.toString('base64')]
      if (value instanceof Uint8Array && proto === Uint8Array.prototype) return ['U', Buffer.from(value).toString('base64')]
      throw new Uncacheable(`a ${proto?.constructor?.name ?? 'foreign'} object`)
    }
    default:
      throw new Uncacheable(typeof value)
  }
}

/** The value `encode` was given (fresh objects every call). @throws Error for text `encode` did not make */
export function decode(data: unknown): unknown {
  if (!Array.isArray(data)) {
    if (data === null || typeof data === 'string' || typeof data === 'boolean' || typeof data === 'number') return data
    throw new Error('corrupt cache entry')
  }
  const tag = data[0]
  switch (tag) {
    case 'a':
      return data.slice(1).map(decode)
    case 'o':
    case '0': {
      const out: Record<string, unknown> = tag === '0' ? Object.create(null) : {}
      for (let i = 1; i < data.length; i += 2) {
        const key = data[i]
        if (typeof key !== 'string') throw new Error('corrupt cache entry')
        Object.defineProperty(out, key, { value: decode(data[i + 1]), enumerable: true, writable: true, configurable: true })
      }
      return out
    }
    case 'n':
      return data[1] === '-0' ? -0 : Number(data[1])
    case 'u':
      return undefined
    case 'i':
      return BigInt(data[1] as string)
    case 'm': {
      const map = new Map<unknown, unknown>()
      for (let i = 1; i < data.length; i += 2) map.set(decode(data[i]), decode(data[i + 1]))
      return map
    }
    case 's':
      return new Set(data.slice(1).map(decode))
    case 'd':
      return new Date(data[1] as number)
    case 'B':
      return Buffer.from(data[1] as string, 'base64')
    case 'U':
      return new Uint8Array(Buffer.from(data[1] as string, 'base64'))
    default:
      throw new Error('corrupt cache entry')
  }
}
