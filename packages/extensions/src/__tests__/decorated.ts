// Real TC39 decorator syntax. `tsc -p packages/extensions` typechecks it; decorators.test.ts
// transpiles it with TypeScript (vitest's transformer does not parse decorators) and runs it. The
// functions come in as parameters so the emitted module needs no imports.
import type { PepperpyPlugin as Base } from '@pepperpy/plugin'
import type { hotReloadablePlugin as HotReloadable } from '../hot-reload/mark.js'
import type { persistentPlugin as Persistent } from '../persistence/persistent-plugin.js'

/** The classes declared below. */
export interface Decorated {
  Counter: typeof Base
  Hits: typeof Base
  Hot: typeof Base
}

/** Declares three plugin classes with `@persistentPlugin`, `@persistentPlugin({...})` and `@hotReloadablePlugin`. */
export function declareDecorated(
  persistentPlugin: typeof Persistent,
  hotReloadablePlugin: typeof HotReloadable,
  PepperpyPlugin: typeof Base,
): Decorated {
  @persistentPlugin
  class Counter extends PepperpyPlugin {
    counter = 0
    async increment(): Promise<number> {
      return ++this.counter
    }
  }

  @persistentPlugin({ fields: ['hits'] })
  class Hits extends PepperpyPlugin {
    hits = 0
    other = 1
  }

  @hotReloadablePlugin
  class Hot extends PepperpyPlugin {}

  return { Counter, Hits, Hot }
}
