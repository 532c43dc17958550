import type { StoredState } from '@pepperpy/plugin'

/** How many recent write ids a store keeps (see `StoredState.writeIds`). */
export const KEPT_WRITE_IDS = 64

/**
 * The envelope fields of `value` (version, data, savedAt; with `withRevision` also revision and
 * writeIds); throws a TypeError when `value` is not an envelope.
 */
export function envelopeOf(value: unknown, withRevision = false): StoredState {
  if (typeof value !== 'object' || value === null) throw new TypeError('not an object')
  const v = value as Record<string, unknown>
  const data = v['data']
  if (typeof v['version'] !== 'number' || typeof data !== 'object' || data === null || Array.isArray(data))
    throw new TypeError('not a { version, data } envelope')
  const out: StoredState = {
    version: v['version'],
    data: data as Record<string, unknown>,
    savedAt: typeof v['savedAt'] === 'string' ? v['savedAt'] : new Date().toISOString(),
  }
  if (withRevision) {
    out.revision = typeof v['revision'] === 'number' ? v['revision'] : 0
    out.writeIds = Array.isArray(v['writeIds']) ? v['writeIds'].filter((id): id is string => typeof id === 'string') : []
  }
  return out
}
