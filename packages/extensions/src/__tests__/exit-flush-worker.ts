// Child process: changes a persistent plugin's state and lets the process end without cleanup() or
// dispose(); the pending save must still be written (beforeExit). Uses the default FileStateStore.
import { PepperpyPlugin, silentLogger } from '@pepperpy/plugin'
import { instantiatePlugin } from '@pepperpy/plugin/spi'
import { persistentPlugin } from '../persistence/persistent-plugin.js'

const Notes = persistentPlugin(
  class Notes extends PepperpyPlugin {
    notes: string[] = []
  },
  { debounceMs: 60_000, maxWaitMs: 60_000 },
)
const n = instantiatePlugin(Notes, { type: 'exit', provider: 'notes', logger: silentLogger })
await n.initialize()
n.notes.push(...process.argv.slice(2))
