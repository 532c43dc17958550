// Child process of the fleet tests: increments one persistent plugin's counter N times through a
// RedisStateStore shared with other processes (merge: { counter: 'sum' }), then cleans up.
// Prints "done <n>" once cleanup returned (every increment acknowledged).
import { flushState, persistentPlugin } from '@pepperpy/extensions'
import { PepperpyPlugin, silentLogger } from '@pepperpy/plugin'
import { instantiatePlugin } from '@pepperpy/plugin/spi'
import { RedisStateStore } from '@pepperpy/redis'

const [url, count, pauseEvery] = process.argv.slice(2)
const store = new RedisStateStore({ url: url!, timeoutMs: 1000 })
const Counter = persistentPlugin(
  class Counter extends PepperpyPlugin {
    counter = 0
  },
  { merge: { counter: 'sum' }, debounceMs: 5, maxWaitMs: 30, pollMs: 10 },
)
const c = instantiatePlugin(Counter, { type: 'fleet', provider: 'counter', logger: silentLogger, context: { stateStore: store } })
// a load can time out while Redis restarts: initialize again, as an app's retry would
for (let attempt = 0; ; attempt++) {
  try {
    await c.initialize()
    break
  } catch (error) {
    if (attempt > 30) throw error
    await new Promise((r) => setTimeout(r, 200))
  }
}
const n = Number(count)
const every = Number(pauseEvery ?? 0)
for (let i = 0; i < n; i++) {
  c.counter++
  if (i % 3 === 0) await flushState(c)
  else await new Promise((r) => setImmediate(r))
  if (every && i % every === 0) await new Promise((r) => setTimeout(r, 20))
}
await c.cleanup()
await store.close()
process.stdout.write(`done ${n}\n`)
