import { existsSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, isAbsolute, resolve } from 'node:path'
import { compileFunction } from 'node:vm'

/** jiti's transform: TypeScript/ESM source to the CommonJS body jiti itself evaluates. */
export type Transform = (opts: { source: string; filename: string; ts: boolean; async?: boolean }) => string

const PARAMS = ['exports', 'require', 'module', '__filename', '__dirname', 'jitiImport', 'jitiESMResolve']
const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json']

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** A relative import as TypeScript and Node resolve it (`./x.js` may be `./x.ts`). */
function resolveRelative(from: string, id: string): string {
  const base = resolve(from, id)
  if (isFile(base)) return base
  for (const ext of EXTENSIONS) if (isFile(base + ext)) return base + ext
  const swapped = base.replace(/\.(c|m)?js$/, '.$1ts')
  if (swapped !== base && isFile(swapped)) return swapped
  for (const ext of EXTENSIONS) if (isFile(resolve(base, `index${ext}`))) return resolve(base, `index${ext}`)
  throw Object.assign(new Error(`Cannot find module '${id}' imported from ${from}`), { code: 'MODULE_NOT_FOUND' })
}

/**
 * Evaluates `entry` and the modules it imports relatively, anew, with `vm.compileFunction`.
 * Unlike `vm.runInThisContext` (what jiti uses), compiled functions are not kept in V8's
 * compilation cache by their source, so old versions of reloaded code can be garbage-collected.
 * Bare imports come from `shared` or Node's own `require` (shared with the host, never reloaded).
 * @throws SyntaxError for code that needs an async module (top-level await); the caller falls back
 */
export function evaluateFresh(entry: string, transform: Transform, shared: Record<string, unknown>): unknown {
  const modules = new Map<string, { exports: unknown }>()
  const run = (file: string): unknown => {
    const known = modules.get(file)
    if (known) return known.exports
    const module: { exports: unknown } = { exports: {} }
    modules.set(file, module)
    const source = readFileSync(file, 'utf8')
    if (file.endsWith('.json')) {
      module.exports = JSON.parse(source) as unknown
      return module.exports
    }
    const code = transform({ source, filename: file, ts: /\.[cm]?tsx?$/.test(file) })
    if (code.startsWith('exports.__JITI_ERROR__')) throw syntaxError(code, file)
    const fn = compileFunction(code, PARAMS, { filename: file }) as (...args: unknown[]) => void
    const native = createRequire(file)
    const dir = dirname(file)
    const require = (id: string): unknown => {
      if (Object.hasOwn(shared, id)) return shared[id]
      if (id.startsWith('.') || isAbsolute(id)) return run(resolveRelative(dir, id))
      return native(id)
    }
    const jitiImport = async (id: string): Promise<unknown> => require(id)
    const jitiESMResolve = (id: string): string => (id.startsWith('.') ? resolveRelative(dir, id) : native.resolve(id))
    fn(module.exports, require, module, file, dir, jitiImport, jitiESMResolve)
    return module.exports
  }
  if (!existsSync(entry)) throw Object.assign(new Error(`Cannot find module '${entry}'`), { code: 'MODULE_NOT_FOUND' })
  return run(entry)
}

/** jiti's transform reports a parse error as a module exporting `__JITI_ERROR__`: a SyntaxError naming the file and line. */
function syntaxError(code: string, file: string): SyntaxError {
  let where = file
  let message = 'invalid syntax'
  try {
    const info = JSON.parse(
      code
        .slice(code.indexOf('=') + 1)
        .trim()
        .replace(/;$/, ''),
    ) as { line?: number; column?: number; message?: string }
    if (info.line !== undefined) where = `${file}:${info.line}${info.column === undefined ? '' : `:${info.column}`}`
    if (info.message) message = info.message.trim()
  } catch {}
  return Object.assign(new SyntaxError(`${message} at ${where}`), { reason: message })
}
