import { tracingChannel } from 'node:diagnostics_channel'
import { channels } from '@pepperpy/plugin'
import { expect, test } from 'vitest'
import { probeHarness } from './__tests__/harness.js'

const h = probeHarness()

test('each call into an isolated plugin is one pepperpy:call trace with the plugin and the method', async () => {
  const seen: string[] = []
  const contexts: Array<Record<string, unknown>> = []
  const record = (event: string) => (ctx: object) => {
    const c = ctx as Record<string, unknown>
    seen.push(`${event} ${c['pluginId']} ${c['method']}`)
    if (event === 'asyncEnd') contexts.push({ ...c })
  }
  const handlers = {
    start: record('start'),
    end: record('end'),
    asyncStart: record('asyncStart'),
    asyncEnd: record('asyncEnd'),
    error: record('error'),
  }
  const ch = tracingChannel(channels.call)
  ch.subscribe(handlers)
  try {
    const p = await h.probe({ isolation: 'worker' })
    await p.initialize()
    expect(await p.bump()).toBe(1)
    expect(seen).toEqual(['start test/iso bump', 'end test/iso bump', 'asyncStart test/iso bump', 'asyncEnd test/iso bump'])
    expect(contexts[0]).toMatchObject({ pluginId: 'test/iso', type: 'test', provider: 'iso', method: 'bump', result: 1 })
  } finally {
    ch.unsubscribe(handlers)
  }
})
