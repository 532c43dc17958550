const REMOTE = Symbol('pepperpy.remoteError')

/** True for an error that came from the other side of the boundary. */
export function isRemoteError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[REMOTE] === true
}

/** An error as it crosses the boundary: a plain object that structured clone keeps whole. */
export interface WireError {
  __pepperpyWireError: true
  name: string
  message: string
  stack?: string
  code?: unknown
  cause?: unknown
  props?: Record<string, unknown>
}

/** Turns `error` (any thrown value) into a {@link WireError}; `cause` chains are kept (depth-limited). */
export function toWire(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 8) return typeof error === 'object' && error !== null ? cloneOrString(error) : error
  const wire: WireError = { __pepperpyWireError: true, name: error.name, message: error.message }
  if (error.stack !== undefined) wire.stack = error.stack
  const own = error as Error & Record<string, unknown>
  if (own['code'] !== undefined) wire.code = cloneOrString(own['code'])
  if (own.cause !== undefined) wire.cause = toWire(own.cause, depth + 1)
  for (const key of Object.keys(own)) {
    if (key === 'code' || key === 'cause') continue
    wire.props ??= {}
    wire.props[key] = cloneOrString(own[key])
  }
  return wire
}

/** The inverse of {@link toWire}: an `Error` with the same name, message, code, cause and own fields. */
export function fromWire(value: unknown): unknown {
  if (!isWireError(value)) return value
  const error = new Error(value.message, value.cause === undefined ? undefined : { cause: fromWire(value.cause) }) as Error &
    Record<string, unknown>
  Object.defineProperty(error, 'name', { value: value.name, enumerable: false, configurable: true, writable: true })
  if (value.stack !== undefined) error.stack = value.stack
  if (value.code !== undefined) error['code'] = value.code
  for (const [k, v] of Object.entries(value.props ?? {})) if (k !== '__proto__') error[k] = v
  Object.defineProperty(error, REMOTE, { value: true })
  return error
}

function isWireError(value: unknown): value is WireError {
  return typeof value === 'object' && value !== null && (value as WireError).__pepperpyWireError === true
}

/**
 * The first function found in `value` (arguments of an isolated call), as a path like `args[1].onData`;
 * undefined when there is none. Functions cannot cross a worker or process boundary.
 */
export function findFunction(value: unknown, path: string, seen: Set<object> = new Set<object>()): string | undefined {
  if (typeof value === 'function') return path
  if (typeof value !== 'object' || value === null || seen.has(value)) return undefined
  seen.add(value)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findFunction(value[i], `${path}[${i}]`, seen)
      if (hit) return hit
    }
    return undefined
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return undefined
  for (const [k, v] of Object.entries(value)) {
    const hit = findFunction(v, `${path}.${k}`, seen)
    if (hit) return hit
  }
  return undefined
}

function cloneOrString(value: unknown): unknown {
  try {
    structuredClone(value)
    return value
  } catch {
    return String(value)
  }
}
