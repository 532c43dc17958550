// Child process of the sync test: saves a new value of a shared plugin's field through a
// RedisStateStore and prints "saved" once the save is acknowledged; then exits.
import { flushState, persistentPlugin } from '@pepperpy/extensions'
import { PepperpyPlugin, silentLogger } from '@pepperpy/plugin'
import { instantiatePlugin } from '@pepperpy/plugin/spi'
import { RedisStateStore } from '@pepperpy/redis'

const [url, value] = process.argv.slice(2)
const store = new RedisStateStore({ url: url! })
const Shared = persistentPlugin(
  class Shared extends PepperpyPlugin {
    motd = 'hello'
    local = 0
  },
)
const s = instantiatePlugin(Shared, { type: 's', provider: 'proc', logger: silentLogger, context: { stateStore: store } })
await s.initialize()
s.motd = value!
await flushState(s)
process.stdout.write('saved\n')
await s.cleanup()
await store.close()
