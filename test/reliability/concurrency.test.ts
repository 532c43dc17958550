// Issue #9 — concurrency: single-flight creation over lazily loaded plugins on disk, resource storms,
// and hot reload while calls are in flight.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PepperpyPlugin, ResourceMixin } from '@pepperpy/plugins'
import { cleanupAll, poolOf, SOAK, sideEffects, system, temp, write } from './helpers.js'

afterEach(cleanupAll)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('concurrency', () => {
  it('1,000 concurrent manager.createInstance + initialize on 10 keys loaded from disk: one instance and one initialize per key', async () => {
    const root = temp()
    const counts = '__pepperpyRelCounts'
    sideEffects[counts] = {}
    for (let i = 0; i < 10; i++) {
      write(join(root, 'svc', `p${i}`, 'plugin.yaml'), 'entry_point: p.ts:P\n')
      write(
        join(root, 'svc', `p${i}`, 'p.ts'),
        `import { PepperpyPlugin } from '@pepperpy/plugin'
const c = ((globalThis as any).${counts}['p${i}'] ??= { imports: 0, constructed: 0, initialized: 0 })
c.imports++
export class P extends PepperpyPlugin {
  constructor(...args: any[]) { super(...args); c.constructed++ }
  override async initialize() { await new Promise((r) => setTimeout(r, 5)); c.initialized++ }
}\n`,
      )
    }
    const s = system({ paths: [root] })
    const results = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        const p = await s.manager.createInstance('svc', `p${i % 10}`)
        await p.initialize()
        return p
      }),
    )
    for (let k = 0; k < 10; k++) {
      const same = results.filter((_, i) => i % 10 === k)
      expect(new Set(same).size).toBe(1)
      expect(same[0]!.initialized).toBe(true)
    }
    expect(sideEffects[counts]).toEqual(
      Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`p${i}`, { imports: 1, constructed: 1, initialized: 1 }])),
    )
    delete sideEffects[counts]
  })

  it('getResource storm: 100 plugins take the same key at once: factory once, cleanup once', async () => {
    const s = system()
    let made = 0
    let freed = 0
    for (let i = 0; i < 100; i++) {
      s.registerPlugin(
        'svc',
        `p${i}`,
        class extends ResourceMixin(PepperpyPlugin) {
          db: unknown
          override async initialize() {
            this.db = await this.getResource('db', {
              factory: async () => {
                made++
                await sleep(20)
                return { id: made }
              },
              cleanup: () => void freed++,
            })
          }
        },
      )
    }
    const plugins = await Promise.all(Array.from({ length: 100 }, (_, i) => s.manager.createInstance('svc', `p${i}`)))
    const direct = await Promise.all(Array.from({ length: 100 }, (_, i) => s.createProviderInstance('svc', `p${i}`)))
    await Promise.all([s.manager.initialize(), ...direct.map((p) => p.initialize())])
    expect(made).toBe(1)
    const all = [...plugins, ...direct] as Array<PepperpyPlugin & { db: unknown }>
    expect(new Set(all.map((p) => p.db)).size).toBe(1)
    expect(poolOf(s).stats().resources).toEqual([{ key: 'db', scope: 'shared', holders: 200 }])
    // half of them go away concurrently: still held
    await Promise.all(direct.map((p) => p.cleanup()))
    expect(freed).toBe(0)
    expect(s.resources.has('db')).toBe(true)
    await s.dispose()
    expect(freed).toBe(1)
    expect(s.resources.has('db')).toBe(false)
  })

  const versions = SOAK ? 10 : 3
  it(`hot reload (${versions} rewrites) while calls are in flight: no call lost or rejected, each result wholly from one version`, async () => {
    const root = temp()
    const dir = join(root, 'greeter', 'hot')
    write(join(dir, 'plugin.yaml'), 'entry_point: p.ts:G\nhot_reload: true\n')
    const code = (v: number) => `import { PepperpyPlugin } from '@pepperpy/plugin'
const VERSION = ${v}
export class G extends PepperpyPlugin {
  calls = 0
  tag() { return ${v} }
  async call(i: number) {
    const a = this.tag()
    const b = VERSION
    await new Promise((r) => setTimeout(r, (i * 7) % 13))
    this.calls++
    return { i, a, b, c: this.tag(), d: VERSION }
  }
}\n`
    write(join(dir, 'p.ts'), code(1))
    const s = system({ paths: [root] })
    const g = (await s.createProviderInstance('greeter', 'hot')) as unknown as PepperpyPlugin & {
      call(i: number): Promise<{ i: number; a: number; b: number; c: number; d: number }>
    }
    await g.initialize()
    const watcher = await s.startHotReload({ debounceMs: 20 })
    await watcher.ready
    const errors: unknown[] = []
    watcher.on('error', (e) => errors.push(e.error))

    let fired = 0
    let stop = false
    const results: Array<{ i: number; a: number; b: number; c: number; d: number }> = []
    const rejected: unknown[] = []
    const pump = async () => {
      while (!stop) {
        const i = fired++
        await g.call(i).then(
          (r) => void results.push(r),
          (e: unknown) => void rejected.push(e),
        )
      }
    }
    const pumps = Array.from({ length: 8 }, pump)
    for (let v = 2; v <= versions + 1; v++) {
      await sleep(30)
      const reloaded = new Promise((r) => watcher.on('reload', r))
      write(join(dir, 'p.ts'), code(v))
      await reloaded
    }
    // calls after the last reload see the last version
    await sleep(30)
    stop = true
    await Promise.all(pumps)
    expect(rejected).toEqual([])
    expect(errors).toEqual([])
    expect(results).toHaveLength(fired)
    expect(new Set(results.map((r) => r.i)).size).toBe(fired)
    const torn = results.filter((r) => !(r.a === r.b && r.b === r.c && r.c === r.d))
    expect(torn, 'a call saw two versions').toEqual([])
    const seen = new Set(results.map((r) => r.a))
    expect(seen.has(1)).toBe(true)
    expect(seen.has(versions + 1)).toBe(true)
    expect((await g.call(-1)).a).toBe(versions + 1)
  })
})
