/**
 * A separate process for the cache tests: `node --conditions=@pepperpy/source --import tsx
 * discover-child.ts '<json {roots, cacheDir, runs}>'` discovers `runs` times (a new registry each
 * time, so the cache is read from disk each time) and prints the distinct reports as a JSON list.
 */
import { silentLogger } from '@pepperpy/plugin'
import { PluginRegistry } from '../plugin-registry.js'

const { roots, cacheDir, runs } = JSON.parse(process.argv[2] ?? '{}') as { roots: string[]; cacheDir: string | false; runs: number }
const seen = new Set<string>()
for (let i = 0; i < runs; i++) {
  const registry = new PluginRegistry({ defaultPaths: false, paths: roots, cacheDir, logger: silentLogger })
  seen.add(JSON.stringify(await registry.discover()))
}
process.stdout.write(JSON.stringify([...seen]))
