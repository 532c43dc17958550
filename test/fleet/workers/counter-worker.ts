// Child process of the fleet tests: increments one persistent plugin's counter N times through a
// RedisStateStore shared with other processes (merge: { counter: 'sum' }), then cleans up.
// Prints "done <n>" once cleanup returned (every increment acknowledged). With a fourth argument
// "gate" it prints "half" after n/2 increments and waits for SIGUSR2 before going on, so a test can
// crash Redis while every process is in the middle of its run.
import { flushState, persistentPlugin } from '@pepperpy/extensions'
import { PepperpyPlugin, silentLogger } from '@pepperpy/plugin'
import { instantiatePlugin } from '@pepperpy/plugin/spi'
import { RedisStateStore } from '@pepperpy/redis'

const [url, count, pauseEvery, gate] = process.argv.slice(2)
// installed first: SIGUSR2 would otherwise end the process
const released = new Promise<void>((resolve) => process.once('SIGUSR2', () => resolve()))
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
  if (gate === 'gate' && i === Math.floor(n / 2)) {
    await flushState(c)
    process.stdout.write('half\n')
    await released
  }
  c.counter++
  if (i % 3 === 0) await flushState(c)
  else await new Promise((r) => setImmediate(r))
  if (every && i % every === 0) await new Promise((r) => setTimeout(r, 20))
}
await c.cleanup()
await store.close()
process.stdout.write(`done ${n}\n`)
