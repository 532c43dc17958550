/**
 * A separate process for the loader tests: `node --conditions=@pepperpy/source --import tsx
 * load-child.ts '<json {file, cacheDir, native?, fresh?, runs?, shared?}>'` loads `file` `runs` times (a new
 * loader each time) and prints the distinct `describe` exports it saw, as a JSON list, with
 * `+jiti` when jiti was loaded in the process.
 */
import { createRequire } from 'node:module'
import { createModuleLoader } from '../module-loader.js'

const { file, cacheDir, native, fresh, runs, shared } = JSON.parse(process.argv[2] ?? '{}') as {
  file: string
  cacheDir: string | false
  native?: boolean
  fresh?: boolean
  runs?: number
  /** Shared modules by name, each `{ token: <value> }`. */
  shared?: Record<string, unknown>
}
const seen = new Set<string>()
for (let i = 0; i < (runs ?? 1); i++) {
  const ns = await createModuleLoader({ cacheDir, ...(shared ? { sharedModules: shared } : {}) }).load(file, {
    fresh: fresh === true,
    ...(native === undefined ? {} : { native }),
  } as never)
  seen.add(String((ns['describe'] as () => unknown)()))
}
const jiti = Object.keys(createRequire(import.meta.url).cache).some((key) => /[\\/]jiti[\\/]/.test(key))
process.stdout.write(JSON.stringify([...seen].map((s) => (jiti ? `${s}+jiti` : s))))
