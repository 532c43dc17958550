// The package entry: the public API is api.ts (explicit named re-exports). Plugin code that imports
// '@pepperpy/plugins' gets that very module from the host (so instanceof, mixins and singletons
// hold); it is handed over here, after api.ts has loaded, so that system.ts never imports the entry
// back (an import cycle). This statement is the package's one side effect (package.json "sideEffects" names this file).
import * as api from './api.js'
import { shareUmbrella } from './shared-modules.js'

export * from './api.js'

shareUmbrella(api)
