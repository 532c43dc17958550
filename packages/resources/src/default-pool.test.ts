import { describe, expect, it } from 'vitest'
import { defaultResourcePool } from './default-pool.js'

describe('defaultResourcePool', () => {
  it('is one pool per process, kept under Symbol.for so package copies share it', async () => {
    const pool = defaultResourcePool()
    expect(defaultResourcePool()).toBe(pool)
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('pepperpy.resources.default')]).toBe(pool)
    expect(Object.getOwnPropertyDescriptor(globalThis, Symbol.for('pepperpy.resources.default'))?.enumerable).toBe(false)
    const holder = {}
    await pool.acquire('k', holder, { factory: () => 1 })
    expect(defaultResourcePool().has('k', holder)).toBe(true)
    await pool.dispose()
    expect(pool.keys()).toEqual([])
  })
})
