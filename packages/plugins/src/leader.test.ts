// Leader wiring of the umbrella (DESIGN 6.2) over an in-process LeaseProvider: one leader per
// lease, takeover on cleanup, lost lease -> cleanup, dispose stops a waiting standby, manifest field.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Lease, type LeaseProvider, PepperpyPlugin } from '@pepperpy/plugin'
import { afterEach, describe, expect, it } from 'vitest'
import { createPluginSystem } from './system.js'

/** Leases within one process: a queue per name, tokens from one counter, `lose()` to simulate a loss. */
class LocalLeases implements LeaseProvider {
  readonly ttlMs = 1000
  #token = 0
  readonly #holders = new Map<string, { lease: Lease; lose: () => void }>()
  readonly #waiting = new Map<string, (() => void)[]>()
  async acquire(name: string, options: { signal?: AbortSignal } = {}): Promise<Lease> {
    while (this.#holders.has(name)) {
      options.signal?.throwIfAborted()
      await new Promise<void>((resolve, reject) => {
        const list = this.#waiting.get(name) ?? []
        list.push(resolve)
        this.#waiting.set(name, list)
        options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true })
      })
    }
    const lost = new AbortController()
    const free = () => {
      if (this.#holders.get(name)?.lease !== lease) return
      this.#holders.delete(name)
      for (const w of this.#waiting.get(name)?.splice(0) ?? []) w()
    }
    const lease: Lease = { name, token: ++this.#token, lost: lost.signal, release: async () => free() }
    this.#holders.set(name, { lease, lose: () => (lost.abort(new Error('lost')), free()) })
    return lease
  }
  lose(name: string): void {
    this.#holders.get(name)?.lose()
  }
}

const silent = { debug() {}, info() {}, warn() {}, error() {} }
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

class Scheduler extends PepperpyPlugin {
  static log: string[] = []
  override async initialize() {
    Scheduler.log.push(`start ${this.lease?.token}`)
  }
  override async cleanup() {
    Scheduler.log.push(`stop ${this.lease?.token}`)
  }
}

describe('leader plugins', () => {
  it('one leader per lease: a standby initializes when the leader is cleaned up, with a larger token', async () => {
    Scheduler.log = []
    const lease = new LocalLeases()
    const a = createPluginSystem({ lease, defaultPaths: false, logger: silent })
    const b = createPluginSystem({ lease, defaultPaths: false, logger: silent })
    a.registerPlugin('jobs', 'scheduler', Scheduler, { leader: true })
    b.registerPlugin('jobs', 'scheduler', Scheduler, { leader: true })
    const pa = await a.createProviderInstance('jobs', 'scheduler')
    const pb = await b.createProviderInstance('jobs', 'scheduler')
    await pa.initialize()
    const standby = pb.initialize()
    await new Promise((r) => setTimeout(r, 20))
    expect(pb.initialized).toBe(false)
    await pa.cleanup()
    await standby
    expect(pb.initialized).toBe(true)
    expect(Scheduler.log).toEqual(['start 1', 'stop 1', 'start 2'])
    expect(pa.lease).toBeUndefined()
    expect(pb.lease?.token).toBe(2)
    await a.dispose()
    await b.dispose()
  })

  it('a lost lease cleans the leader up; dispose() stops a standby that is still waiting', async () => {
    Scheduler.log = []
    const lease = new LocalLeases()
    const a = createPluginSystem({ lease, defaultPaths: false, logger: silent })
    const b = createPluginSystem({ lease, defaultPaths: false, logger: silent })
    class Static extends Scheduler {
      static leader = true
    }
    a.registerPlugin('jobs', 'static', Static)
    b.registerPlugin('jobs', 'static', Static)
    const pa = await a.createProviderInstance('jobs', 'static')
    await pa.initialize()
    lease.lose('leader:jobs/static')
    await expect.poll(() => pa.initialized).toBe(false)
    expect(Scheduler.log).toEqual(['start 1', 'stop 1'])
    const pb = await b.createProviderInstance('jobs', 'static')
    const c = createPluginSystem({ lease, defaultPaths: false, logger: silent })
    c.registerPlugin('jobs', 'static', Static)
    await pb.initialize() // the lease is free again
    const pc = await c.createProviderInstance('jobs', 'static')
    const waiting = pc.initialize().then(
      () => 'initialized',
      (e: unknown) => `rejected: ${(e as Error).message}`,
    )
    await c.dispose()
    expect(await waiting).toMatch(/^rejected/)
    expect(pc.initialized).toBe(false)
    await a.dispose()
    await b.dispose()
  })

  it('`leader: true` in plugin.yaml; without a lease provider a leader runs here with a warning', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pepperpy-leader-'))
    dirs.push(root)
    mkdirSync(join(root, 'jobs', 'yaml'), { recursive: true })
    writeFileSync(
      join(root, 'jobs', 'yaml', 'p.ts'),
      "import { PepperpyPlugin } from '@pepperpy/plugin'\nexport class Y extends PepperpyPlugin { token = 0\n async initialize() { this.token = this.lease?.token ?? -1 } }\n",
    )
    writeFileSync(join(root, 'jobs', 'yaml', 'plugin.yaml'), 'entry_point: p.ts:Y\nleader: true\n')
    const lease = new LocalLeases()
    const system = createPluginSystem({ lease, paths: [root], defaultPaths: false, logger: silent })
    const p = (await system.createProviderInstance('jobs', 'yaml')) as PepperpyPlugin & { token: number }
    await p.initialize()
    expect(p.token).toBe(1)
    await system.dispose()
    const warnings: string[] = []
    const lone = createPluginSystem({
      paths: [root],
      defaultPaths: false,
      logger: { ...silent, warn: (m: string) => void warnings.push(m) },
    })
    const q = (await lone.createProviderInstance('jobs', 'yaml')) as PepperpyPlugin & { token: number }
    await q.initialize()
    expect(q.token).toBe(-1)
    expect(warnings.join('\n')).toMatch(/plugin "jobs\/yaml" is a leader but the system has no lease provider/)
    await lone.dispose()
  })
})
