import { persistentPlugin } from '@pepperpy/extensions'
import { PepperpyPlugin } from '@pepperpy/plugin'

/** Python PepperPy's persistent counter example: `counter` is state, saved after changes and on cleanup. */
export default persistentPlugin(
  class RunCounter extends PepperpyPlugin {
    counter = 0

    async increment(): Promise<number> {
      this.counter += 1
      return this.counter
    }
  },
)
