import { createRequire } from 'node:module'

// node:fs/promises is loaded on the first save or load, not when the package is imported (~1 ms)
const require = createRequire(import.meta.url)
let fsp: typeof import('node:fs/promises') | undefined

/** node:fs/promises, loaded on first use. */
export const fs = (): typeof import('node:fs/promises') => (fsp ??= require('node:fs/promises') as typeof import('node:fs/promises'))
