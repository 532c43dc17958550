import { collectSecretValues, redactSecrets, scrubSecrets, secretKeysOf } from './secrets.js'

/** One logging method; compatible with `console.*` and pino's `(msg, ...args)` form. */
export type LogFn = (message: string, ...args: unknown[]) => void

/** The logger every part of the system writes to; `console` and pino loggers both fit. */
export interface Logger {
  /** Detail for debugging (`PEPPERPY_LOG_LEVEL=debug`). */
  debug: LogFn
  /** Normal progress. */
  info: LogFn
  /** Something unexpected that the system recovered from. */
  warn: LogFn
  /** Something failed. */
  error: LogFn
  /** A logger with extra bindings (pino style); optional. */
  child?(bindings: Record<string, unknown>): Logger
}

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Name shown in each line. @default 'pepperpy' */
  name?: string
  /** Lowest level printed. @default process.env.PEPPERPY_LOG_LEVEL ?? 'warn' */
  level?: LogLevel
  /** Where lines go. @default a writer to stderr */
  write?: (line: string) => void
}

function envLevel(): LogLevel {
  const raw = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['PEPPERPY_LOG_LEVEL']
  const level = raw?.toLowerCase()
  return level !== undefined && level in LEVELS ? (level as LogLevel) : 'warn'
}

function stderrWrite(line: string): void {
  const proc = (globalThis as { process?: { stderr?: { write(s: string): unknown } } }).process
  if (proc?.stderr) proc.stderr.write(`${line}\n`)
  else console.error(line)
}

function formatArg(arg: unknown): string {
  if (arg instanceof Error) return arg.stack ?? arg.message
  if (typeof arg === 'string') return arg
  try {
    return JSON.stringify(arg)
  } catch {
    return String(arg)
  }
}

/** The default logger: `warn` and above to stderr, `PEPPERPY_LOG_LEVEL` for more or less. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const name = options.name ?? 'pepperpy'
  const min = LEVELS[options.level ?? envLevel()]
  const write = options.write ?? stderrWrite
  const make =
    (level: Exclude<LogLevel, 'silent'>): LogFn =>
    (message, ...args) => {
      if (LEVELS[level] < min) return
      write([`[${name}] ${level}:`, message, ...args.map(formatArg)].join(' '))
    }
  return {
    debug: make('debug'),
    info: make('info'),
    warn: make('warn'),
    error: make('error'),
    child: (bindings) => createLogger({ ...options, name: typeof bindings['name'] === 'string' ? bindings['name'] : name }),
  }
}

let shared: Logger | undefined

/** The process-wide default logger (created once, on first use). */
export function defaultLogger(): Logger {
  shared ??= createLogger()
  return shared
}

/** A logger named `name` under `parent`: pino's `child()` when present, else a `[name]` prefix. */
export function childLogger(parent: Logger, name: string): Logger {
  if (typeof parent.child === 'function') return parent.child({ name })
  const prefix = `[${name}]`
  return {
    debug: (m, ...a) => parent.debug(`${prefix} ${m}`, ...a),
    info: (m, ...a) => parent.info(`${prefix} ${m}`, ...a),
    warn: (m, ...a) => parent.warn(`${prefix} ${m}`, ...a),
    error: (m, ...a) => parent.error(`${prefix} ${m}`, ...a),
  }
}

/** Wraps `logger` so the secret values of `config` never reach it (strings scrubbed, objects redacted). */
export function redactingLogger(logger: Logger, config: Readonly<Record<string, unknown>>): Logger {
  const keys = secretKeysOf(config)
  const secrets = collectSecretValues(config, keys)
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubSecrets(v, secrets)
    if (v instanceof Error) {
      const copy = new Error(scrubSecrets(v.message, secrets))
      copy.name = v.name
      if (v.stack !== undefined) copy.stack = scrubSecrets(v.stack, secrets)
      return copy
    }
    if (typeof v === 'object' && v !== null) {
      // the known values first (a secret inside a URL is still found whole), then by key and shape
      let scrubbed: unknown = v
      try {
        if (secrets.length > 0) scrubbed = JSON.parse(scrubSecrets(JSON.stringify(v), secrets))
      } catch {
        // not JSON (circular, BigInt): redaction by key still applies
      }
      return redactSecrets(scrubbed, keys)
    }
    return v
  }
  const wrap =
    (fn: LogFn): LogFn =>
    (m, ...a) =>
      fn(clean(m) as string, ...a.map(clean))
  const wrapped: Logger = {
    debug: wrap(logger.debug.bind(logger)),
    info: wrap(logger.info.bind(logger)),
    warn: wrap(logger.warn.bind(logger)),
    error: wrap(logger.error.bind(logger)),
  }
  if (typeof logger.child === 'function') {
    const child = logger.child.bind(logger)
    wrapped.child = (b) => redactingLogger(child(b), config)
  }
  return wrapped
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
}
