import { PepperpyPlugin, ResourceError } from '@pepperpy/plugin'
import { pluginContext } from '@pepperpy/plugin/spi'
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import { defaultResourcePool } from './default-pool.js'
import { ResourceMixin } from './resource-mixin.js'
import { createResourcePool } from './resource-pool.js'

interface Db {
  connection: string
}

const events: string[] = []

class DatabasePlugin extends ResourceMixin(PepperpyPlugin) {
  db: Db | undefined

  override async initialize(): Promise<void> {
    this.db = await this.getResource('database', {
      factory: () => this.createDbConnection(),
      cleanup: (db) => this.closeDbConnection(db),
    })
  }

  async createDbConnection(): Promise<Db> {
    events.push(`create by ${this.provider}`)
    return { connection: 'db://example' }
  }

  async closeDbConnection(db: Db): Promise<void> {
    events.push(`close ${db.connection}`)
  }
}

class Search extends DatabasePlugin {}
class Rag extends DatabasePlugin {}

afterEach(async () => {
  events.length = 0
  await defaultResourcePool().dispose()
})

describe('ResourceMixin', () => {
  it("shares 'database' between two plugins: factory once, cleanup once after the last holder", async () => {
    const pool = createResourcePool()
    const search = Search.create({}, { context: { resources: pool } })
    const rag = Rag.create({}, { context: { resources: pool } })
    await Promise.all([search.initialize(), rag.initialize()])
    expect(search.db).toBe(rag.db)
    expect(events).toEqual(['create by Search'])
    expect(search.hasResource('database')).toBe(true)
    await search.cleanup()
    expect(events).toEqual(['create by Search'])
    expect(search.hasResource('database')).toBe(false)
    expect(rag.hasResource('database')).toBe(true)
    await rag.cleanup()
    expect(events).toEqual(['create by Search', 'close db://example'])
    await rag.cleanup()
    expect(events).toHaveLength(2)
  })

  it('keeps the base class API and types (also on a subclass base)', () => {
    class Base extends PepperpyPlugin {
      greet(): string {
        return `hi from ${this.pluginId}`
      }
    }
    class WithBoth extends ResourceMixin(Base) {}
    const p = WithBoth.create()
    expect(p).toBeInstanceOf(Base)
    expect(p).toBeInstanceOf(PepperpyPlugin)
    expect(p.greet()).toBe('hi from plugin/WithBoth')
    expectTypeOf(p.getResource<number>).returns.toEqualTypeOf<Promise<number>>()
    expectTypeOf(p.greet).returns.toBeString()
  })

  it('uses the process default pool when the plugin has no system', async () => {
    const a = Search.create()
    const b = Rag.create()
    expect(pluginContext(a).resources).toBeUndefined()
    await a.initialize()
    await b.initialize()
    expect(events).toEqual(['create by Search'])
    expect(defaultResourcePool().stats().resources).toEqual([{ key: 'database', scope: 'shared', holders: 2 }])
    await a.cleanup()
    await b.cleanup()
    expect(defaultResourcePool().keys()).toEqual([])
  })

  it('releases explicitly with releaseResource', async () => {
    const p = Search.create({}, { context: { resources: createResourcePool() } })
    await p.initialize()
    await p.releaseResource('database')
    expect(events).toEqual(['create by Search', 'close db://example'])
    expect(p.hasResource('database')).toBe(false)
    await p.cleanup()
    expect(events).toHaveLength(2)
  })

  it('releases at cleanup even when the subclass overrides cleanup without super, or throws', async () => {
    class NoSuper extends DatabasePlugin {
      override async cleanup(): Promise<void> {
        events.push('own cleanup')
      }
    }
    class Throws extends DatabasePlugin {
      override async cleanup(): Promise<void> {
        throw new Error('cleanup exploded')
      }
    }
    const pool = createResourcePool()
    const a = NoSuper.create({}, { context: { resources: pool } })
    const b = Throws.create({}, { context: { resources: pool } })
    await a.initialize()
    await b.initialize()
    await a.cleanup()
    expect(events).toEqual(['create by NoSuper', 'own cleanup'])
    await expect(b.cleanup()).rejects.toThrow('cleanup exploded')
    expect(events).toEqual(['create by NoSuper', 'own cleanup', 'close db://example'])
    expect(pool.keys()).toEqual([])
  })

  it('releases what initialize acquired when initialize throws afterwards', async () => {
    class Half extends DatabasePlugin {
      override async initialize(): Promise<void> {
        await super.initialize()
        await this.getResource('cache', { factory: () => 'c', cleanup: () => void events.push('close cache'), scope: 'plugin' })
        throw new Error('config missing')
      }
    }
    const pool = createResourcePool()
    const p = Half.create({}, { context: { resources: pool } })
    await expect(p.initialize()).rejects.toThrow('config missing')
    expect(p.initialized).toBe(false)
    expect(events).toEqual(['create by Half', 'close cache', 'close db://example'])
    expect(pool.keys()).toEqual([])
  })

  it('makes cleanup fail when a resource cleanup fails, naming the key', async () => {
    class Bad extends ResourceMixin(PepperpyPlugin) {
      override async initialize(): Promise<void> {
        await this.getResource('socket', {
          factory: () => 1,
          cleanup: () => {
            throw new Error('EPIPE')
          },
        })
      }
    }
    const p = Bad.create({}, { context: { resources: createResourcePool() } })
    await p.initialize()
    const error = await p.cleanup().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ResourceError)
    expect((error as Error).message).toBe('cleanup of resource "socket" failed: EPIPE')
  })

  it('creates and releases again on every init/cleanup cycle', async () => {
    const pool = createResourcePool()
    const p = Search.create({}, { context: { resources: pool } })
    for (let i = 0; i < 3; i++) {
      await p.initialize()
      await p.cleanup()
    }
    expect(events).toEqual([
      'create by Search',
      'close db://example',
      'create by Search',
      'close db://example',
      'create by Search',
      'close db://example',
    ])
  })
})
