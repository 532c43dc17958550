// Child process of the multi-process tests: increments one persistent plugin's counter N times
// through a FileStateStore shared with other processes, then cleans up. Prints "done <n>".
import { PepperpyPlugin, silentLogger } from '@pepperpy/plugin'
import { instantiatePlugin } from '@pepperpy/plugin/spi'
import { FileStateStore } from '../persistence/file-state-store.js'
import { flushState, persistentPlugin } from '../persistence/persistent-plugin.js'

const [dir, count] = process.argv.slice(2)
const Counter = persistentPlugin(
  class Counter extends PepperpyPlugin {
    counter = 0
    lastWriter = ''
  },
  { merge: { counter: 'sum' }, debounceMs: 5, maxWaitMs: 30, pollMs: 10 },
)
const c = instantiatePlugin(Counter, {
  type: 'fleet',
  provider: 'counter',
  logger: silentLogger,
  context: { stateStore: new FileStateStore({ dir: dir! }) },
})
await c.initialize()
const n = Number(count)
for (let i = 0; i < n; i++) {
  c.counter++
  c.lastWriter = String(process.pid)
  if (i % 3 === 0) await flushState(c)
  else await new Promise((r) => setImmediate(r))
}
await c.cleanup()
process.stdout.write(`done ${n}\n`)
