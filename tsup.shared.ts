import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { join } from 'node:path'
import { init, parse } from 'es-module-lexer'
import type { Options } from 'tsup'

/**
 * Rewrites each static ESM import of a Node built-in in the built `.js` files (`import { a, b as c }
 * from 'path'`, `import * as p from 'path'`, `import p from 'path'`) to
 * `process.getBuiltinModule('node:<built-in>')`. Every ESM import of a built-in goes through the ESM
 * resolver and makes Node build the module's ESM facade, which reads every export: for fs that reads
 * the lazy getters and loads fs/promises, streams and readline (~4 ms), and the facades and
 * resolutions of path, url, module, os and vm together cost ~9 ms of importing `@pepperpy/plugins`
 * on a 2-core machine (bench: import-cost). The import statements are found by es-module-lexer, so
 * text that only looks like an import (a template string the CLI scaffolds from) is left alone.
 * Statements keep their line, so source maps hold. (An import binding is hoisted and a `const` is
 * not; that differs only inside an import cycle, and dist has none: biome refuses cycles.)
 */
export async function builtinsWithoutFacade(dir = 'dist'): Promise<void> {
  await init
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.js')) continue
    const file = join(dir, name)
    const text = readFileSync(file, 'utf8')
    let out = ''
    let at = 0
    for (const i of parse(text)[0]) {
      // static imports only (d === -1), of a built-in, whose whole statement we can restate
      if (i.d !== -1 || i.n === undefined || !isBuiltin(i.n)) continue
      const replacement = asBuiltinModule(text.slice(i.ss, i.se), i.n)
      if (replacement === undefined) continue
      // as many line breaks as the statement had, so the lines after it keep their numbers (source maps)
      out += text.slice(at, i.ss) + replacement + '\n'.repeat(text.slice(i.ss, i.se).split('\n').length - 1)
      at = i.se
    }
    if (at > 0) writeFileSync(file, out + text.slice(at))
  }
}

/** `statement` (a static import of built-in `id`) as a `process.getBuiltinModule` declaration, if it is one of the three plain forms. */
function asBuiltinModule(statement: string, id: string): string | undefined {
  // the lexer's statement may stop before its semicolon: the original one then ends the declaration
  const from = `process.getBuiltinModule('node:${id.replace(/^node:/, '')}')${statement.endsWith(';') ? ';' : ''}`
  const named = /^import\s*\{([^}]*)\}\s*from\s*['"][^'"]+['"];?$/.exec(statement)
  if (named) return `const {${named[1]!.replace(/\s+as\s+/g, ': ')}} = ${from}`
  const whole = /^import\s*(?:\*\s*as\s+)?([A-Za-z_$][\w$]*)\s*from\s*['"][^'"]+['"];?$/.exec(statement)
  if (whole) return `const ${whole[1]} = ${from}`
  return undefined
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
