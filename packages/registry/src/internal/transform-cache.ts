import { createRequire } from 'node:module'
import { join } from 'node:path'
import { cacheName, readCacheFile, writeCacheFile } from './cache-dir.js'

/** The cache file layout; a file of another format is a miss (and replaced). */
const FORMAT = 1

/** What jiti hands a transform: the source and how to compile it. */
export interface TransformRequest {
  source: string
  filename?: string
  ts?: boolean
  async?: boolean
  jsx?: unknown
  retainLines?: boolean
  interopDefault?: boolean
  babel?: unknown
}

let jitiVersion: string | undefined

/**
 * `transform` with its output kept on disk under `<dir>/transforms/`, one file per source file
 * and options, checked against the whole source text (and jiti's version and the options) before
 * use: a changed source is transformed again, whatever its time or size. Writes are atomic
 * (temp file + rename), so processes can share the folder; a corrupt file is a miss. Output that
 * carries jiti's error marker is never stored.
 */
export function cachedTransform(dir: string, transform: (request: TransformRequest) => string): (request: TransformRequest) => string {
  return (request) => {
    const { source, ...options } = request
    jitiVersion ??= (createRequire(import.meta.url)('jiti/package.json') as { version: string }).version
    const key = JSON.stringify([jitiVersion, options])
    const file = join(dir, 'transforms', `${cacheName(key)}.json`)
    const text = readCacheFile(file)
    if (text !== undefined) {
      try {
        const entry = JSON.parse(text) as { format?: unknown; key?: unknown; source?: unknown; code?: unknown }
        if (entry.format === FORMAT && entry.key === key && entry.source === source && typeof entry.code === 'string') return entry.code
      } catch {
        // a torn or foreign file: transform again, and replace it
      }
    }
    const code = transform(request)
    if (!code.includes('__JITI_ERROR__')) writeCacheFile(file, JSON.stringify({ format: FORMAT, key, source, code }))
    return code
  }
}
