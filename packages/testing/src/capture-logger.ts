import type { Logger, LogFn } from '@pepperpy/plugin'

/** One captured log line. */
export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error'
  /** The message with its extra arguments appended (errors as their message). */
  message: string
  /** The logger's name: the plugin's `type/provider` for a plugin's logger, absent for the system's. */
  name?: string
}

/** A logger that appends every line (all levels) to `logs`; children are named after their plugin. */
export function captureLogger(logs: LogEntry[], name?: string): Logger {
  const make =
    (level: LogEntry['level']): LogFn =>
    (message, ...args) => {
      const text = [message, ...args.map(formatArg)].join(' ')
      logs.push(name === undefined ? { level, message: text } : { level, message: text, name })
    }
  return {
    debug: make('debug'),
    info: make('info'),
    warn: make('warn'),
    error: make('error'),
    child: (bindings) => captureLogger(logs, typeof bindings['name'] === 'string' ? bindings['name'] : name),
  }
}

function formatArg(arg: unknown): string {
  if (arg instanceof Error) return arg.message
  if (typeof arg === 'string') return arg
  try {
    return JSON.stringify(arg)
  } catch {
    return String(arg)
  }
}
