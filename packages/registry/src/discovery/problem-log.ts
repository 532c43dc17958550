import type { Diagnostic, Logger } from '@pepperpy/plugin'

/** Logs discovery problems as warnings, each once however often discovery runs. */
export class ProblemLog {
  readonly #logger: Logger
  /** Problems already logged (file and text). */
  readonly #logged = new Set<string>()

  constructor(logger: Logger) {
    this.#logger = logger
  }

  /** Each file's error diagnostics as one warning, and every shadowing warning (naming both files). */
  log(diagnostics: readonly Diagnostic[]): void {
    const errors = new Map<string, Diagnostic[]>()
    for (const d of diagnostics) {
      const file = d.file ?? '(no file)'
      if (d.severity === 'error') errors.set(file, [...(errors.get(file) ?? []), d])
      else if (/ is defined twice: /.test(d.message)) this.once(`${file}\0${d.message}`, `plugin ${d.message}`)
    }
    for (const [file, list] of errors) {
      const text = list.map((d) => `${d.field ? `${d.field}: ` : ''}${d.message}`).join('; ')
      this.once(`${file}\0${text}`, `plugin manifest ${file} was refused: ${text}`)
    }
  }

  /** Logs `message` unless `key` was logged before. */
  once(key: string, message: string): void {
    if (this.#logged.has(key)) return
    this.#logged.add(key)
    this.#logger.warn(message)
  }
}
