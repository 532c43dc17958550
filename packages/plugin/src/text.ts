// Small text helpers shared by every package of the system (exported from @pepperpy/plugin/spi).

/** The message of a thrown value: `error.message` for an Error, else the value as a string. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The first line of a message (or of a thrown value's message). */
export function firstLine(value: unknown): string {
  return (typeof value === 'string' ? value : messageOf(value)).split('\n')[0] ?? ''
}

/** `type/provider`. */
export function pluginIdOf(type: string, provider: string): string {
  return `${type}/${provider}`
}

/** Orders strings by UTF-16 code units, the same on every machine (unlike `localeCompare`). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
