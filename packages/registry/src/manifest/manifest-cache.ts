import { readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Diagnostic } from '@pepperpy/plugin'
import { decodeEntry, encodeEntry, Uncacheable } from '../internal/cache-codec.js'
import { cacheName, codeStamp, readCacheFile, writeCacheFile } from '../internal/cache-dir.js'
import { libraryStamp } from '../internal/lazy.js'
import { rememberSemver, semverAnswers, semverChanged } from '../internal/semver-memo.js'
import { checkManifest, MAX_MANIFEST_BYTES, readManifestFile, type ParsedManifest } from './parse-manifest.js'
import { parseYamlText, yamlReadingCount, type YamlResult } from './parse-yaml.js'
import { readRegularFile } from './read-file.js'

/** The cache file layout; a file of another format is ignored (and replaced by the next write). */
const FORMAT = 3

/** One cached parse: its encoded result, and whether the `yaml` library made it (else the parser's own code did). */
interface Stored {
  readonly data: unknown
  readonly byYaml: boolean
}

/** A cache file as read: its entries by text, and the identity of the libraries its `yaml`-made entries and semver answers came from. */
interface CacheFile {
  readonly entries: Map<string, Stored>
  readonly libs: string | undefined
}

/**
 * Cache files already read by this process, with the stamp (size, time, inode) they had: a file
 * that is unchanged is not read again by the next registry (its entries hold for their texts forever).
 */
const loaded = new Map<string, { stamp: string; file: CacheFile }>()

/**
 * On-disk cache of parsed manifest texts for one discovery scope (its roots), in one file under
 * `<cache>/manifests/`: each entry is keyed by the whole text of a manifest (compared in full, so a
 * changed manifest is never served an old parse), and holds the parse's value and diagnostics.
 * Schema checks run on every read (they are cheap and their diagnostics name the file). The file
 * records the parser's own code (its files' sizes and times) and is ignored when that changed; the
 * entries the `yaml` library made and semver's answers (see semverMemo) are trusted only while
 * `yaml` and `semver` are the files they were, which is looked up only when such an entry or
 * answer is needed (a module resolution each, which the common start-up, plain manifests without
 * version ranges, does not pay). Safe when processes share it: writes are atomic renames, the last
 * writer wins, a corrupt or foreign file is a miss. Deleting it changes no result.
 */
export class ManifestCache {
  readonly #file: string
  readonly #scope: string
  #stored: CacheFile | undefined
  readonly #used = new Map<string, Stored>()
  #dirty = false

  /**
   * @param dir the cache folder (see cacheRoot)
   * @param scope what identifies the discovery (its roots), so one app's scans do not evict another's
   */
  constructor(dir: string, scope: string) {
    this.#file = join(dir, 'manifests', `${cacheName(scope)}.json`)
    this.#scope = scope
  }

  /** The parse of `text`, from the cache or parsed now (and remembered). */
  parse(text: string): YamlResult {
    let stored = this.#used.get(text)
    if (stored === undefined) {
      const file = this.#load()
      const candidate = file.entries.get(text)
      if (candidate !== undefined && (!candidate.byYaml || file.libs === libIdentity())) stored = candidate
    }
    if (stored !== undefined) {
      const result = revive(stored.data)
      if (result) {
        this.#used.set(text, stored)
        return result
      }
    }
    // parsed here, not through parseYaml's memo: this cache's own entries (encoded before the caller
    // sees the value, decoded into fresh objects on every hit) are the memo on this path, so a new
    // text costs one parse and one encoding instead of a parse, a deep copy and an encoding
    const readings = yamlReadingCount()
    const result = parseYamlText(text)
    try {
      this.#used.set(text, { data: encodeEntry(result), byYaml: yamlReadingCount() !== readings })
      this.#dirty = true
    } catch (error) {
      if (!(error instanceof Uncacheable)) throw error
    }
    return result
  }

  /** Writes the entries this scan used (dropping those of manifests no longer there), when they changed. */
  flush(): void {
    const file = this.#load()
    if (!this.#dirty && !semverChanged() && file.entries.size === this.#used.size) return
    const semver = semverAnswers()
    const entries = [...this.#used].map(([text, s]) => (s.byYaml ? [text, s.data, 1] : [text, s.data]))
    const data = { format: FORMAT, code: codeIdentity(), libs: libIdentity(), scope: this.#scope, entries, semver: semver.entries }
    writeCacheFile(this.#file, JSON.stringify(data))
    this.#stored = { entries: new Map(this.#used), libs: data.libs }
    loaded.set(this.#file, { stamp: fileStamp(this.#file), file: this.#stored })
    this.#used.clear()
    this.#dirty = false
  }

  #load(): CacheFile {
    if (this.#stored) return this.#stored
    const stamp = fileStamp(this.#file)
    const known = loaded.get(this.#file)
    if (known && known.stamp === stamp) return (this.#stored = known.file)
    const entries = new Map<string, Stored>()
    let libs: string | undefined
    const text = readCacheFile(this.#file)
    if (text !== undefined) {
      try {
        const data = JSON.parse(text) as {
          format?: unknown
          code?: unknown
          libs?: unknown
          scope?: unknown
          entries?: unknown
          semver?: unknown
        }
        if (data.format === FORMAT && data.code === codeIdentity() && data.scope === this.#scope && Array.isArray(data.entries)) {
          libs = typeof data.libs === 'string' ? data.libs : undefined
          const made = libs
          rememberSemver(data.semver, () => made !== undefined && made === libIdentity())
          for (const entry of data.entries as unknown[]) {
            if (Array.isArray(entry) && typeof entry[0] === 'string') entries.set(entry[0], { data: entry[1], byYaml: entry[2] === 1 })
          }
        }
      } catch {
        // a torn, corrupt or foreign file: a miss; the next flush replaces it
      }
    }
    this.#stored = { entries, libs }
    if (entries.size === 0) this.#dirty = true
    else loaded.set(this.#file, { stamp, file: this.#stored })
    return this.#stored
  }
}

/**
 * {@link readManifestFile} through `cache`: the same result (value, diagnostics, verdict, `doc`),
 * with the YAML parse taken from the cache when the file's text is one it has seen. The file is
 * read as readManifestFile reads it (a regular file, bounded, never blocking).
 */
export function readManifestCached(
  file: string,
  cache: ManifestCache,
): { parsed?: ParsedManifest; diagnostics: Diagnostic[]; doc?: unknown } {
  const read = readRegularFile(file, MAX_MANIFEST_BYTES)
  if ('error' in read) return readManifestFile(file)
  const parsed = cache.parse(read.text)
  const diagnostics = parsed.diagnostics.map((d) => ({ file, ...d }) as Diagnostic)
  if (!('value' in parsed)) return { diagnostics }
  const result: { parsed?: ParsedManifest; diagnostics: Diagnostic[]; doc?: unknown } = checkManifest(parsed.value, file)
  result.diagnostics.unshift(...diagnostics)
  result.doc = parsed.value
  return result
}

/** A decoded entry, or undefined when it is not what {@link ManifestCache.parse} stored. */
function revive(stored: unknown): YamlResult | undefined {
  try {
    const result = decodeEntry(stored) as YamlResult
    if (typeof result !== 'object' || result === null || !Array.isArray(result.diagnostics)) return undefined
    return result
  } catch {
    return undefined
  }
}

function fileStamp(file: string): string {
  const s = statSync(file, { throwIfNoEntry: false })
  return s ? `${s.size}:${s.mtimeMs}:${s.ino}` : 'none'
}

let identity: string | undefined

/** Node's version and the sizes and times of the parser's own files: a cache made by other code is ignored. */
function codeIdentity(): string {
  if (identity !== undefined) return identity
  const parts: string[] = [process.version]
  const here = dirname(fileURLToPath(import.meta.url))
  for (const name of readdirSync(here).sort())
    if (/\.[cm]?[jt]s$/.test(name) && !name.includes('.test.')) parts.push(codeStamp(join(here, name)))
  identity = parts.join('|')
  return identity
}

/** The `yaml` and `semver` this process uses (see libraryStamp: as loaded, else as installed, looked up on the first ask). */
function libIdentity(): string {
  return `${libraryStamp('yaml')}|${libraryStamp('semver')}`
}
