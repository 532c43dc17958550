import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { LeakError, PepperpyPlugin } from '@pepperpy/plugin'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestSystem } from './index.js'

const leaksOf = async (dispose: Promise<void>): Promise<string[]> => {
  const error = await dispose.then(
    () => new Error('dispose() resolved; expected a LeakError'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(LeakError)
  return (error as LeakError).leaks
}

class Poller extends PepperpyPlugin {
  static override dependencies = [{ type: 'clock', provider: 'ticking' }]
}

class TickingClock extends PepperpyPlugin {
  timer = setInterval(() => {}, 5_000) // a field initializer runs in the constructor
}

class Chained extends PepperpyPlugin {
  fired?: Promise<void>
  override async initialize(): Promise<void> {
    this.fired = new Promise((resolve) =>
      setTimeout(() => {
        setTimeout(() => {}, 45_000) // created in a timer callback: still the plugin's code
        resolve()
      }, 1),
    )
  }
}

class Tidy extends PepperpyPlugin {
  #timers: NodeJS.Timeout[] = []
  override async initialize(): Promise<void> {
    this.#timers.push(
      setInterval(() => {}, 1_000),
      setTimeout(() => {}, 60_000),
    )
    await sleep(1) // timers/promises: a Timeout too, gone once it fired
  }
  override async cleanup(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t)
  }
}

class Background extends PepperpyPlugin {
  override async initialize(): Promise<void> {
    setTimeout(() => {}, 60_000).unref() // cannot keep the process alive and runs once: not a leak
  }
}

const roots: string[] = []
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true })
})

describe('timers the plugins create', () => {
  it('are attributed to a dependency that created them in its constructor', async () => {
    const system = createTestSystem({ plugins: { 'app/poller': Poller, 'clock/ticking': TickingClock } })
    await system.start('app', 'poller')
    expect(await leaksOf(system.dispose())).toEqual([
      'setInterval(5000 ms) created by clock/ticking in constructor() is still running after cleanup; clear it in cleanup() (clearInterval)',
    ])
  })

  it('include timers created inside the plugin’s own timer callbacks', async () => {
    const system = createTestSystem({ plugins: { 'job/chained': Chained } })
    const job = await system.start<Chained>('job', 'chained')
    await job.fired
    expect(await leaksOf(system.dispose())).toEqual([
      'setTimeout(45000 ms) created by job/chained in initialize() is still running after cleanup; clear it in cleanup() (clearTimeout)',
    ])
  })

  it('are tracked for a plugin discovered from a plugin root (its class is loaded from a file)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pepperpy-testing-'))
    roots.push(root)
    mkdirSync(join(root, 'metrics/file'), { recursive: true })
    writeFileSync(join(root, 'metrics/file/plugin.yaml'), 'version: 0.1.0\nentry_point: provider.ts:FileMetrics\n')
    writeFileSync(
      join(root, 'metrics/file/provider.ts'),
      "import { PepperpyPlugin } from '@pepperpy/plugin'\nexport class FileMetrics extends PepperpyPlugin {\n  async flushEvery(ms: number) { setInterval(() => {}, ms) }\n}\n",
    )
    const system = createTestSystem({ paths: [root] })
    const metrics = await system.start<PepperpyPlugin & { flushEvery(ms: number): Promise<void> }>('metrics', 'file')
    await metrics.flushEvery(2_500)
    expect(await leaksOf(system.dispose())).toEqual([
      'setInterval(2500 ms) created by metrics/file in flushEvery() is still running after cleanup; clear it in cleanup() (clearInterval)',
    ])
  })

  it('pass when cleared, fired, or unref’d one-shots', async () => {
    const system = createTestSystem({ plugins: { 'a/tidy': Tidy, 'b/background': Background } })
    await system.start('a', 'tidy')
    await system.start('b', 'background')
    await system.dispose()
  })

  it('of one test system are not reported by another', async () => {
    const leaky = createTestSystem({ plugins: { 'job/chained': Chained } })
    const clean = createTestSystem({ plugins: { 'a/tidy': Tidy } })
    const job = await leaky.start<Chained>('job', 'chained')
    await clean.start('a', 'tidy')
    await job.fired
    await clean.dispose()
    expect(await leaksOf(leaky.dispose())).toHaveLength(1)
  })
})
