import { createHash } from 'node:crypto'

const PLAIN = /[a-z0-9.-]/
const MAX_NAME = 200

/**
 * The file name for a state key (DESIGN decision 20), injective even on case-insensitive file
 * systems: `/` becomes `__`, every other byte outside `a-z 0-9 . -` (uppercase letters and `_`
 * included) becomes `_XX` (UTF-8, uppercase hex), and a leading `.` is escaped. `llm/echo` ->
 * `llm__echo.json`; `a__b/c` -> `a_5F_5Fb__c.json` and `a/b__c` -> `a__b_5F_5Fc.json`. Names
 * longer than 200 characters are shortened and end with a SHA-256 of the key.
 */
export function stateFileName(key: string): string {
  let out = ''
  for (const ch of key) {
    if (ch === '/') out += '__'
    else if (PLAIN.test(ch) && !(ch === '.' && out === '')) out += ch
    else for (const byte of Buffer.from(ch, 'utf8')) out += `_${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  if (out.length > MAX_NAME) out = `${out.slice(0, 120)}_H${createHash('sha256').update(key).digest('hex')}`
  return `${out || '_'}.json`
}

/** The file name versions before 0.2 used (not injective); still read so existing state is not lost. */
export function legacyStateFileName(key: string): string {
  const safe = key
    .replace(/\//g, '__')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '_')
  return `${safe || '_'}.json`
}
