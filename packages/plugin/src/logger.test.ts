import { describe, expect, it } from 'vitest'
import { childLogger, createLogger } from './logger.js'

describe('createLogger', () => {
  it('prints warn and above by default', () => {
    const lines: string[] = []
    const log = createLogger({ name: 'x', level: 'warn', write: (l) => void lines.push(l) })
    log.debug('d')
    log.info('i')
    log.warn('w')
    log.error('e', new Error('boom'))
    expect(lines).toHaveLength(2)
    expect(lines[0]).toBe('[x] warn: w')
    expect(lines[1]).toContain('boom')
  })

  it('honours PEPPERPY_LOG_LEVEL', () => {
    const prev = process.env['PEPPERPY_LOG_LEVEL']
    process.env['PEPPERPY_LOG_LEVEL'] = 'debug'
    const lines: string[] = []
    createLogger({ write: (l) => void lines.push(l) }).debug('hello')
    if (prev === undefined) delete process.env['PEPPERPY_LOG_LEVEL']
    else process.env['PEPPERPY_LOG_LEVEL'] = prev
    expect(lines).toEqual(['[pepperpy] debug: hello'])
  })

  it('childLogger uses child() when present (pino) and a prefix otherwise (console)', () => {
    const got: unknown[] = []
    const pinoLike = {
      debug() {},
      info() {},
      warn() {},
      error() {},
      child: (b: Record<string, unknown>) => {
        got.push(b)
        return pinoLike
      },
    }
    childLogger(pinoLike, 'llm/echo')
    expect(got).toEqual([{ name: 'llm/echo' }])
    const lines: string[] = []
    const consoleLike = { debug() {}, info() {}, warn: (m: string) => void lines.push(m), error() {} }
    childLogger(consoleLike, 'llm/echo').warn('careful')
    expect(lines).toEqual(['[llm/echo] careful'])
  })
})
