import { instantiateResolved, LeakError, PepperpyPlugin, silentLogger } from '@pepperpy/plugin'
import { pluginContext } from '@pepperpy/plugin/spi'
import { createPool, type Pool, ResourceMixin } from '@pepperpy/plugins'
import { describe, expect, it } from 'vitest'
import { createTestSystem } from './index.js'

async function leaksOf(dispose: Promise<void>): Promise<string[]> {
  const error = await dispose.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(LeakError)
  expect((error as LeakError).code).toBe('LEAK_DETECTED')
  return (error as LeakError).leaks
}

class ForgetsClearInterval extends PepperpyPlugin {
  ticks = 0
  override async initialize(): Promise<void> {
    setInterval(() => this.ticks++, 60_000)
  }
}

class ClearsItsInterval extends PepperpyPlugin {
  #timer: NodeJS.Timeout | undefined
  override async initialize(): Promise<void> {
    this.#timer = setInterval(() => {}, 60_000)
  }
  override async cleanup(): Promise<void> {
    clearInterval(this.#timer)
  }
}

class RetriesLater extends PepperpyPlugin {
  async send(): Promise<void> {
    await Promise.resolve()
    setTimeout(() => this.send(), 30_000) // a retry scheduled from a later method call, after an await
  }
}

class Cache extends ResourceMixin(PepperpyPlugin) {
  override async initialize(): Promise<void> {
    await this.getResource('db', { factory: () => ({ open: true }), cleanup: (db) => void (db.open = false) })
  }
}

/** Makes a helper plugin sharing its system's context and never cleans it up. */
class ForgetsItsHelper extends PepperpyPlugin {
  helper?: Cache
  override async initialize(): Promise<void> {
    this.helper = Cache.create({}, { type: 'cache', provider: 'helper', context: pluginContext(this) })
    await this.helper.initialize()
  }
}

/** Takes a per-session resource from the system's pool and never releases it. */
class Sessions extends PepperpyPlugin {
  async open(name: string): Promise<void> {
    const session = { name }
    await pluginContext(this).resources!.acquire(`session:${name}`, session, { factory: () => ({}) })
  }
}

class ForgetsDrain extends PepperpyPlugin {
  pool?: Pool<object>
  override async initialize(): Promise<void> {
    this.pool = createPool({ create: () => ({}), destroy: () => {}, max: 2 })
    await this.pool.use(async () => {})
  }
}

class DrainsItsPool extends ForgetsDrain {
  override async cleanup(): Promise<void> {
    await this.pool?.drain()
  }
}

describe('dispose() leak check', () => {
  it('catches a plugin that forgets clearInterval, names it, and clears the interval', async () => {
    const system = createTestSystem({ plugins: { 'metrics/leaky': ForgetsClearInterval } })
    await system.start('metrics', 'leaky')
    const leaks = await leaksOf(system.dispose())
    expect(leaks).toEqual([
      'setInterval(60000 ms) created by metrics/leaky in initialize() is still running after cleanup; clear it in cleanup() (clearInterval)',
    ])
  })

  it('passes a plugin that clears its interval in cleanup()', async () => {
    const system = createTestSystem({ plugins: { 'metrics/tidy': ClearsItsInterval } })
    const plugin = await system.start('metrics', 'tidy')
    await system.dispose()
    expect(plugin.initialized).toBe(false)
  })

  it('catches a timeout scheduled by a later method call after an await', async () => {
    const system = createTestSystem({ plugins: { 'mail/smtp': RetriesLater } })
    const mail = await system.start<RetriesLater>('mail', 'smtp')
    await mail.send()
    const leaks = await leaksOf(system.dispose())
    expect(leaks).toEqual([
      'setTimeout(30000 ms) created by mail/smtp in send() is still running after cleanup; clear it in cleanup() (clearTimeout)',
    ])
  })

  it('ignores timers created by the test itself, outside plugin code', async () => {
    const system = createTestSystem({ plugins: { 'metrics/tidy': ClearsItsInterval } })
    await system.start('metrics', 'tidy')
    const mine = setInterval(() => {}, 60_000)
    try {
      await system.dispose()
    } finally {
      clearInterval(mine)
    }
  })

  it('catches a resource (ResourceMixin getResource) held by a helper plugin that was never cleaned up', async () => {
    const system = createTestSystem({ plugins: { 'search/naive': ForgetsItsHelper } })
    const search = await system.start<ForgetsItsHelper>('search', 'naive')
    const db = (await search.helper!.getResource('db', { factory: () => ({ open: true }) })) as { open: boolean }
    const leaks = await leaksOf(system.dispose())
    expect(leaks).toEqual([
      'resource "db" is still held by cache/helper (still initialized: nobody cleaned it up) after cleanup; release it (releaseResource) or clean up the plugin that holds it',
    ])
    expect(db.open).toBe(false) // the system released it anyway once reported
  })

  it('catches a resource a helper made without the system’s context left in the process default pool', async () => {
    class Detached extends PepperpyPlugin {
      helper?: Cache
      override async initialize(): Promise<void> {
        this.helper = Cache.create({}, { type: 'cache', provider: 'detached' }) // no context: the default pool
        await this.helper.initialize()
      }
    }
    const system = createTestSystem({ plugins: { 'search/detached': Detached } })
    const search = await system.start<Detached>('search', 'detached')
    const leaks = await leaksOf(system.dispose())
    expect(leaks).toEqual([
      'resource "db" of the process-wide default pool is still held after cleanup (a plugin made without the system\'s context took it); release it or clean up its holder',
    ])
    await search.helper!.cleanup()
  })

  it('catches a resource acquired from the system pool and never released', async () => {
    const system = createTestSystem({ plugins: { 'chat/sessions': Sessions } })
    const chat = await system.start<Sessions>('chat', 'sessions')
    await chat.open('a')
    const leaks = await leaksOf(system.dispose())
    expect(leaks).toEqual([
      'resource "session:a" is still held by a plain object after cleanup; release it (releaseResource) or clean up the plugin that holds it',
    ])
  })

  it('does not report what ResourceMixin releases by itself at cleanup', async () => {
    const system = createTestSystem({ plugins: { 'cache/lru': Cache } })
    const cache = await system.start<Cache>('cache', 'lru')
    expect(cache.hasResource('db')).toBe(true)
    await system.dispose()
    expect(cache.hasResource('db')).toBe(false)
  })

  it('catches a pool the plugin never drained, and drains it', async () => {
    const system = createTestSystem({ plugins: { 'db/pg': ForgetsDrain } })
    const db = await system.start<ForgetsDrain>('db', 'pg')
    const leaks = await leaksOf(system.dispose())
    expect(leaks).toEqual(['pool created by db/pg in initialize() was not drained; call pool.drain() in cleanup()'])
    await expect(db.pool!.acquire()).rejects.toThrow(/drained/)
    const tidy = createTestSystem({ plugins: { 'db/pg': DrainsItsPool } })
    await tidy.start('db', 'pg')
    await tidy.dispose()
  })

  it('reports a cleanup() that never finishes, naming the plugin', async () => {
    let release!: () => void
    class Hangs extends PepperpyPlugin {
      override cleanup(): Promise<void> {
        return new Promise((resolve) => (release = resolve))
      }
    }
    const system = createTestSystem({ plugins: { 'queue/hangs': Hangs }, cleanupTimeoutMs: 50 })
    await system.start('queue', 'hangs')
    const error = (await system.dispose().catch((e: unknown) => e)) as LeakError
    expect(error).toBeInstanceOf(LeakError)
    expect(error.leaks).toHaveLength(1)
    expect(error.leaks[0]).toMatch(/^cleanup failed: .*"queue\/hangs" did not finish cleanup\(\) within 50 ms/)
    expect(error.cause).toBeInstanceOf(Error)
    release()
  })

  it('catches an instance built from the system’s classes outside its manager and left initialized', async () => {
    const system = createTestSystem({ plugins: { 'metrics/tidy': ClearsItsInterval } })
    const resolved = await system.registry.resolve('metrics', 'tidy')
    const stray = instantiateResolved<PepperpyPlugin>(resolved, silentLogger, {})
    await stray.initialize()
    const leaks = await leaksOf(system.dispose())
    expect(leaks).toEqual([
      "instance metrics/tidy is still initialized after cleanup (it was made outside the system's manager, or its cleanup() never finished); call its cleanup()",
      'setInterval(60000 ms) created by metrics/tidy in initialize() is still running after cleanup; clear it in cleanup() (clearInterval)',
    ])
    await stray.cleanup()
  })

  it('lists every kind of leak in one error', async () => {
    const system = createTestSystem({
      plugins: { 'metrics/leaky': ForgetsClearInterval, 'db/pg': ForgetsDrain, 'chat/sessions': Sessions },
    })
    await system.start('metrics', 'leaky')
    await system.start('db', 'pg')
    await (await system.start<Sessions>('chat', 'sessions')).open('b')
    const leaks = await leaksOf(system.dispose())
    expect(leaks.map((l) => l.split(' ')[0])).toEqual(['resource', 'setInterval(60000', 'pool'])
  })
})
