import { inspect } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { redactingLogger } from './logger.js'
import { PepperpyPlugin } from './plugin.js'
import { collectSecretValues, isSecretKey, markSecretKeys, REDACTED, redactSecrets, redactText, secretKeysOf } from './secrets.js'

describe('isSecretKey (DESIGN decision 22: the last word decides)', () => {
  it.each([
    'key',
    'api_key',
    'apiKey',
    'APIKey',
    'API_KEY',
    'accessToken',
    'access-token',
    'session.token',
    'clientSecret',
    'db_password',
    'passwd',
    'awsCredentials',
    'credential',
    'api_keys',
    'refreshTokens',
  ])('%s is secret', (key) => expect(isSecretKey(key)).toBe(true))

  it.each(['tokensUsed', 'keyCount', 'lastTokenRefreshAt', 'token_count', 'secretName', 'keyboard', 'monkey', 'model', 'passwordHint', ''])(
    '%s is not secret',
    (key) => expect(isSecretKey(key)).toBe(false),
  )

  it('a schema writeOnly key is secret whatever its name', () => {
    expect(isSecretKey('dsn')).toBe(false)
    expect(isSecretKey('dsn', new Set(['dsn']))).toBe(true)
  })

  it('agrees with splitting by hand, for generated identifiers', () => {
    const word = fc.constantFrom('api', 'key', 'token', 'used', 'count', 'secret', 'name', 'password', 'refresh', 'at', 'credentials')
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('snake', 'kebab', 'dot', 'camel', 'upper'),
        (words, style) => {
          const key =
            style === 'camel'
              ? words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('')
              : style === 'upper'
                ? words.join('_').toUpperCase()
                : words.join(style === 'snake' ? '_' : style === 'kebab' ? '-' : '.')
          const last = words[words.length - 1]!
          expect(isSecretKey(key)).toBe(['key', 'token', 'secret', 'password', 'credentials'].includes(last))
        },
      ),
    )
  })
})

// ---- redaction over nested shapes ---------------------------------------------------------------

const SECRET = 'sk-SECRET-value-9876'
const secretName = fc.constantFrom('api_key', 'apiKey', 'token', 'accessToken', 'password', 'credentials', 'api_keys', 'client-secret')
const plainName = fc.constantFrom('model', 'url', 'tokensUsed', 'keyCount', 'retries', 'nested', 'options', 'items', 'lastTokenRefreshAt')

/** A config-like value where every secret key holds SECRET (or a shape containing it). */
const shape: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('gpt', 42, true, null, 'https://example.com/v1?page=2'),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(plainName, tie('node'), { maxKeys: 3 }),
    fc.tuple(secretName, tie('node'), fc.constantFrom(SECRET, [SECRET, SECRET], { user: 'u', pass: SECRET })).map(([k, rest, secret]) => ({
      [k]: secret,
      other: rest,
    })),
    fc.constantFrom(
      `https://user:${SECRET}@db.example.com:5432/app`,
      `https://api.example.com/v1?model=x&api_key=${SECRET}#frag`,
      `redis://:${SECRET}@localhost:6379/0`,
      { headers: { Authorization: `Bearer ${SECRET}`, accept: 'json' } },
      `calling with Authorization: Bearer ${SECRET} now`,
      `token=${SECRET}`,
    ),
  ),
})).node

describe('redactSecrets', () => {
  it('never lets a secret through, at any depth, in JSON or util.inspect', () => {
    fc.assert(
      fc.property(shape, (value) => {
        const out = redactSecrets(value)
        expect(JSON.stringify(out) ?? '').not.toContain(SECRET)
        expect(inspect(out, { depth: 20 })).not.toContain(SECRET)
      }),
      { numRuns: 300 },
    )
  })

  it('keeps what is not secret and the shape of secret arrays', () => {
    const out = redactSecrets({
      model: 'gpt',
      tokensUsed: 12,
      keyCount: 2,
      lastTokenRefreshAt: 5,
      session: { token: SECRET, id: 7 },
      credentials: { pass: SECRET },
      api_keys: [SECRET, SECRET],
      url: `https://u:${SECRET}@host.example/path?api_key=${SECRET}&page=2`,
    })
    expect(out).toEqual({
      model: 'gpt',
      tokensUsed: 12,
      keyCount: 2,
      lastTokenRefreshAt: 5,
      session: { token: REDACTED, id: 7 },
      credentials: REDACTED,
      api_keys: [REDACTED, REDACTED],
      url: `https://${REDACTED}@host.example/path?api_key=${REDACTED}&page=2`,
    })
  })

  it('redacts keys marked writeOnly and their camelCase fields', () => {
    const config = markSecretKeys({ dsn: 'postgres-secret-dsn', model: 'm' }, ['dsn'])
    expect(secretKeysOf(config).has('dsn')).toBe(true)
    expect(redactSecrets(config)).toEqual({ dsn: REDACTED, model: 'm' })
    expect(collectSecretValues(config)).toEqual(['postgres-secret-dsn'])
  })
})

describe('redactText', () => {
  it('is idempotent and leaves plain text alone', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const once = redactText(text)
        expect(redactText(once)).toBe(once)
      }),
    )
    expect(redactText('nothing secret here: a=1, page=2')).toBe('nothing secret here: a=1, page=2')
  })

  it('redacts Authorization headers in every spelling', () => {
    for (const text of [
      `Authorization: Bearer ${SECRET}`,
      `authorization=Basic ${SECRET}`,
      `{"Authorization":"Bearer ${SECRET}"}`,
      `Proxy-Authorization: ${SECRET}`,
      `bearer ${SECRET}`,
    ])
      expect(redactText(text)).not.toContain(SECRET)
  })
})

describe('writeOnly keys reach the plugin, its views and its logger', () => {
  class Db extends PepperpyPlugin {
    dsn = ''
  }

  it('toJSON, util.inspect, config views and the logger hide a writeOnly key', () => {
    const lines: string[] = []
    const config = markSecretKeys({ dsn: 'postgres://app@db/secret-db-dsn' }, ['dsn'])
    const logger = {
      debug() {},
      info: (m: string, ...a: unknown[]) => void lines.push([m, ...a.map((x) => JSON.stringify(x))].join(' ')),
      warn() {},
      error() {},
    }
    const p = Db.create(config, { logger })
    for (const text of [JSON.stringify(p), inspect(p, { depth: 10 }), JSON.stringify(p.config), inspect(p.config)])
      expect(text).not.toContain('secret-db-dsn')
    expect(p.dsn).toBe('postgres://app@db/secret-db-dsn')
    redactingLogger(logger, p.config).info(`dsn is ${p.dsn}`, { dsn: p.dsn })
    p.logger.info(`again ${p.dsn}`)
    expect(lines.join('\n')).not.toContain('secret-db-dsn')
    expect(lines).toHaveLength(2)
  })
})
