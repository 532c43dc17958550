import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { join } from 'node:path'
import type { Options } from 'tsup'

/** A named import of a Node built-in, as esbuild writes it (`import { a, b as c } from 'path';`). */
const BUILTIN_IMPORT = /^import \{([^}]*)\} from ['"](?:node:)?([a-z_]+(?:\/[a-z_]+)?)['"];?$/gm

/**
 * Rewrites `import { ... } from '<built-in>'` in the built `.js` files to
 * `process.getBuiltinModule('node:<built-in>')`. Every ESM import of a built-in goes through the ESM
 * resolver and makes Node build the module's ESM facade, which reads every export: for fs that reads
 * the lazy getters and loads fs/promises, streams and readline (~4 ms), and the facades and
 * resolutions of path, url, module, os and vm together cost ~9 ms of importing `@pepperpy/plugins`
 * on a 2-core machine (bench: import-cost). Lines stay where they were, so source maps hold.
 */
export function builtinsWithoutFacade(dir = 'dist'): void {
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.js')) continue
    const file = join(dir, name)
    const text = readFileSync(file, 'utf8')
    const out = text.replace(BUILTIN_IMPORT, (line: string, names: string, id: string) =>
      isBuiltin(id) ? `const {${names.replace(/\s+as\s+/g, ': ')}} = process.getBuiltinModule('node:${id}');` : line,
    )
    if (out !== text) writeFileSync(file, out)
  }
}

/** The one tsup config every package uses: ESM, declarations, sourcemaps, Node 20. */
export function packageBuild(entry: string[] = ['src/index.ts'], extra: Options = {}): Options {
  return {
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: true, // entries of one package share one copy of its module state (a symbol, a registry)
    treeshake: true,
    onSuccess: async () => builtinsWithoutFacade(),
    ...extra,
  }
}
