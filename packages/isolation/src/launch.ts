import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** How to start the isolate runtime: the bootstrap script, the modules it imports, and the files it reads. */
export interface Launch {
  bootstrap: string
  /** The loader module reference for the isolate (`url` or `url#export`). */
  loader: string
  /** Shared module references for the isolate. */
  shared: Record<string, string>
  /** Files the runtime loads (their folders become readable). */
  files: string[]
}

let bundled: { key: string; file: string } | undefined

/**
 * The bootstrap of the isolate runtime. Built (`dist/runtime.js`): imported natively, as are the
 * loader and shared modules. From TypeScript sources (tests, the monorepo): the runtime, the loader
 * and the shared modules are bundled once per host process with esbuild into one ES module next to
 * the loader's package (so its lazily required packages resolve), sharing one `@pepperpy/plugin`.
 */
export function launch(loader: string, shared: Record<string, string>): Launch {
  const built = new URL('./runtime.js', import.meta.url)
  if (existsSync(fileURLToPath(built)))
    return {
      bootstrap: script(built.href),
      loader,
      shared,
      files: [fileURLToPath(built), fileURLToPath(loader), ...Object.values(shared).map((u) => fileURLToPath(u))],
    }
  const file = bundle(loader, shared)
  const url = pathToFileURL(file).href
  const refs = Object.fromEntries(Object.keys(shared).map((name, i) => [name, `${url}#__shared${i}`]))
  return { bootstrap: script(url), loader: `${url}#__loader`, shared: refs, files: [file] }
}

function bundle(loader: string, shared: Record<string, string>): string {
  const key = JSON.stringify([loader, shared])
  if (bundled?.key === key && existsSync(bundled.file)) return bundled.file
  const runtime = fileURLToPath(new URL('./runtime.ts', import.meta.url))
  const loaderPkg = packageDir(fileURLToPath(loader)) ?? dirname(fileURLToPath(loader))
  const outDir = join(loaderPkg, 'node_modules', '.cache', 'pepperpy-isolation')
  mkdirSync(outDir, { recursive: true })
  removeStale(outDir)
  const file = join(outDir, `runtime-${process.pid}-${Date.now()}.mjs`)
  const lines = [
    `export { main } from ${JSON.stringify(runtime)}`,
    `export * as __loader from ${JSON.stringify(fileURLToPath(loader))}`,
    ...Object.values(shared).map((u, i) => `export * as __shared${i} from ${JSON.stringify(fileURLToPath(u))}`),
  ]
  const esbuild = createRequire(import.meta.url)('esbuild') as {
    buildSync(o: Record<string, unknown>): unknown
  }
  esbuild.buildSync({
    stdin: { contents: lines.join('\n'), resolveDir: dirname(runtime), loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@pepperpy/source'],
    outfile: file,
    logLevel: 'error',
    define: { "process.env['PEPPERPY_ISOLATION_BUNDLED']": '"1"' },
    // createRequire(import.meta.url) in the bundle needs `require` semantics from its own folder
    banner: {
      js: "import { createRequire as __pepperpyCreateRequire } from 'node:module'; const require = __pepperpyCreateRequire(import.meta.url);",
    },
  })
  if (bundled) rmSync(bundled.file, { force: true })
  bundled = { key, file }
  process.once('exit', () => rmSync(file, { force: true }))
  return file
}

/** Removes bundles of host processes that are gone. */
function removeStale(dir: string): void {
  for (const name of entries(dir)) {
    const pid = Number(/^runtime-(\d+)-/.exec(name)?.[1])
    if (!pid || pid === process.pid) continue
    try {
      process.kill(pid, 0)
    } catch {
      rmSync(join(dir, name), { force: true })
    }
  }
}

function script(runtime: string): string {
  return `import(${JSON.stringify(runtime)}).then((m) => m.main(), (e) => { setImmediate(() => { throw e }) })`
}

/**
 * The folders an isolate must read to load `files` and what they import: for a file inside a
 * `node_modules` folder, that whole top-level `node_modules`; for a workspace source file, its
 * package folder, the workspace packages it links and the nearest `node_modules` above it.
 * Real paths and given paths both.
 */
export function readableRoots(files: readonly string[]): string[] {
  const out = new Set<string>()
  for (const given of files) {
    for (const file of [given, safeReal(given)]) {
      const i = file.indexOf(`${sep}node_modules${sep}`)
      if (i >= 0) out.add(file.slice(0, i + `${sep}node_modules`.length))
      const pkg = packageDir(i >= 0 ? file.slice(0, i + 1) : file)
      if (!pkg) continue
      out.add(pkg)
      for (const linked of workspaceLinks(pkg)) out.add(linked)
      for (let d = dirname(pkg); dirname(d) !== d; d = dirname(d)) {
        if (existsSync(join(d, 'node_modules'))) {
          out.add(join(d, 'node_modules'))
          break
        }
      }
    }
  }
  return [...out]
}

/** Real folders of the workspace packages linked into `pkg/node_modules` (pnpm workspaces). */
function workspaceLinks(pkg: string): string[] {
  const out: string[] = []
  const nm = join(pkg, 'node_modules')
  for (const name of entries(nm)) {
    const paths = name.startsWith('@') ? entries(join(nm, name)).map((n) => join(nm, name, n)) : [join(nm, name)]
    for (const p of paths) {
      const real = safeReal(p)
      if (real.includes(`${sep}node_modules${sep}`)) {
        const i = real.indexOf(`${sep}node_modules${sep}`)
        out.push(real.slice(0, i + `${sep}node_modules`.length))
      } else out.push(real)
    }
  }
  return out
}

function entries(d: string): string[] {
  try {
    return readdirSync(d)
  } catch {
    return []
  }
}

function packageDir(file: string): string | undefined {
  for (let d = dirname(file); ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d
    if (dirname(d) === d) return undefined
  }
}

function safeReal(p: string): string {
  try {
    return realpathSync(p)
  } catch {
    return p
  }
}
