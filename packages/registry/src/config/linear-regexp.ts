import { createRequire } from 'node:module'
import { describeError } from '@pepperpy/plugin'

interface Re2Matcher {
  find(): boolean
}
interface Re2Pattern {
  matcher(input: string): Re2Matcher
}
interface Re2 {
  compile(pattern: string): Re2Pattern
}

let re2: Re2 | undefined

/** RE2JS, loaded on the first schema that has a `pattern`. */
function engine(): Re2 {
  re2 ??= (createRequire(import.meta.url)('re2js') as { RE2JS: Re2 }).RE2JS
  return re2
}

/** A compiled pattern as ajv uses one: only `test`. */
export interface LinearRegExp {
  test(input: string): boolean
}

/**
 * Compiles a JSON Schema `pattern` with RE2 (RE2JS): matching takes time linear in the input, so a
 * pattern such as `^(a+)+$` cannot block the event loop. Patterns that need backtracking (back
 * references, lookaround) do not compile.
 * @throws Error naming the unsupported syntax
 */
export const linearRegExp: ((pattern: string) => LinearRegExp) & { code: string } = Object.assign(
  (pattern: string): LinearRegExp => {
    const compiled = engine().compile(pattern)
    return { test: (input: string) => compiled.matcher(input).find() }
  },
  // ajv wants this property (for standalone code, which is not generated here)
  { code: 'require("re2js").RE2JS' },
)

/** Why `pattern` cannot be used in a config schema, or undefined when it can. */
export function patternProblem(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return `must be a string (got ${typeof pattern})`
  try {
    linearRegExp(pattern)
    return undefined
  } catch (error) {
    return `${JSON.stringify(pattern)} cannot be matched in linear time (${describeError(error)}); patterns are run by RE2, which has no back references or lookaround`
  }
}
