// Decision 22: persisted state never holds a secret, at any depth (nested keys, arrays under a secret key).
import { PepperpyPlugin, silentLogger } from '@pepperpy/plugin'
import { instantiatePlugin } from '@pepperpy/plugin/spi'
import { expect, it } from 'vitest'
import { MemoryStateStore } from './persistence/memory-state-store.js'
import { flushState, persistentPlugin } from './persistence/persistent-plugin.js'

it('secret-named keys nested in state fields are never saved; the other fields are', async () => {
  const Session = persistentPlugin(
    class extends PepperpyPlugin {
      tokensUsed = 0
      session: Record<string, unknown> = {}
      accounts: Array<Record<string, unknown>> = []
    },
  )
  const store = new MemoryStateStore()
  const p = instantiatePlugin(Session, { type: 'chat', provider: 'memory', logger: silentLogger, context: { stateStore: store } })
  await p.initialize()
  p.tokensUsed = 42
  p.session = { user: 'ada', token: 'sk-live-1', credentials: { password: 'hunter2', realm: 'x' }, api_keys: ['k1', 'k2'] }
  p.accounts = [{ name: 'a', accessToken: 'at-1' }]
  await flushState(p)
  const saved = JSON.stringify((await store.load('chat/memory'))?.data)
  for (const secret of ['sk-live-1', 'hunter2', 'k1', 'k2', 'at-1']) expect(saved).not.toContain(secret)
  expect(JSON.parse(saved)).toEqual({
    tokensUsed: 42,
    session: { user: 'ada' } /* `credentials` is itself a secret key */,
    accounts: [{ name: 'a' }],
  })
  await p.cleanup()
})
