/** Where a command writes, and whether it may colour. */
export interface CliIO {
  out: (text: string) => void
  err: (text: string) => void
  color: boolean
  cwd: string
  env: Record<string, string | undefined>
}

/** The process's IO: colour only on a TTY and without NO_COLOR. */
export function processIO(): CliIO {
  const env = process.env
  return {
    out: (t) => void process.stdout.write(`${t}\n`),
    err: (t) => void process.stderr.write(`${t}\n`),
    color: Boolean(process.stdout.isTTY) && env['NO_COLOR'] === undefined && env['FORCE_COLOR'] !== '0',
    cwd: process.cwd(),
    env,
  }
}

/** ANSI styles that become no-ops without colour. */
export interface Styles {
  bold(s: string): string
  dim(s: string): string
  red(s: string): string
  yellow(s: string): string
  green(s: string): string
}

/** Styles for `io`. */
export function styles(io: CliIO): Styles {
  const wrap = (open: number, close: number) => (s: string) => (io.color ? `\x1b[${open}m${s}\x1b[${close}m` : s)
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39) }
}

/** Left-aligned columns. */
export function table(rows: string[][]): string[] {
  const widths: number[] = []
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length)
    })
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  )
}
