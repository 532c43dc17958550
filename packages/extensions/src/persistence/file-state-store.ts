import { createRequire } from 'node:module'
import { join } from 'node:path'
import {
  describeError,
  createLogger,
  StateConflictError,
  StateError,
  type Logger,
  type SaveStateOptions,
  type StateListener,
  type StateStore,
  type StoredState,
} from '@pepperpy/plugin'
import { defaultStateDir, legacyStateRoot } from './app-state-dir.js'
import { alive, withFileLock } from './file-lock.js'
import { fs } from './lazy-fs.js'
import { legacyStateFileName, stateFileName } from './state-key.js'
import { envelopeOf, KEPT_WRITE_IDS } from './stored-state.js'

export { stateFileName } from './state-key.js'

// node:crypto is loaded on the first save, not when the package is imported (several milliseconds)
const require = createRequire(import.meta.url)
const randomBytes = (n: number): Buffer => (require('node:crypto') as typeof import('node:crypto')).randomBytes(n)

/** Options of {@link FileStateStore}. */
export interface FileStateStoreOptions {
  /** Folder of the state files. @default env PEPPERPY_STATE_DIR, else `~/.pepperpy/state/<app>` (see docs/persistence.md) */
  dir?: string
  /** Where corrupt-file warnings go. @default the contract's default logger */
  logger?: Logger
  /** How often `watch` looks for changes. @default 150 */
  watchIntervalMs?: number
}

const STALE_TEMP_MS = 60_000
const MAX_STATE_BYTES = 64 * 1024 * 1024

/**
 * Stores each plugin's state as one JSON file (`{ version, data, savedAt, revision }`). Writes are
 * atomic (a temp file in the same folder, fsync, rename, fsync of the folder) and made under a lock
 * file, so processes of one machine get revisions and `expectedRevision` checks; files are 0600 and
 * the folder 0700. A corrupt file is moved aside (`<file>.corrupt-<time>`) with a warning.
 */
export class FileStateStore implements StateStore {
  /** The folder of the state files. */
  readonly dir: string
  readonly #logger: Logger
  readonly #legacyRoot: string | undefined
  readonly #watchMs: number
  #ready: Promise<void> | undefined

  constructor(options: FileStateStoreOptions = {}) {
    this.dir = options.dir ?? defaultStateDir()
    this.#legacyRoot = options.dir === undefined && !process.env['PEPPERPY_STATE_DIR'] ? legacyStateRoot() : undefined
    this.#logger = options.logger ?? createLogger()
    this.#watchMs = options.watchIntervalMs ?? 150
  }

  /** The file that holds `key`'s state. */
  fileFor(key: string): string {
    return join(this.dir, stateFileName(key))
  }

  #prepare(): Promise<void> {
    this.#ready ??= (async () => {
      const created = await fs().mkdir(this.dir, { recursive: true, mode: 0o700 })
      if (created !== undefined) await fs().chmod(this.dir, 0o700)
      // temp files of writers that died mid-write; a live writer's fresh temp is left alone
      for (const name of await fs().readdir(this.dir)) {
        const m = /\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name)
        if (!m) continue
        const path = join(this.dir, name)
        const age =
          Date.now() -
          ((
            await fs()
              .stat(path)
              .catch(() => undefined)
          )?.mtimeMs ?? 0)
        if (!alive(Number(m[1])) || age > STALE_TEMP_MS)
          await fs()
            .unlink(path)
            .catch(() => {})
      }
    })().catch((error: unknown) => {
      this.#ready = undefined
      throw new StateError(`cannot prepare state folder ${this.dir}: ${describeError(error)}`, { cause: error })
    })
    return this.#ready
  }

  /** The state saved for `key`; undefined when none, or when the file was corrupt (it is moved aside). */
  async load(key: string): Promise<StoredState | undefined> {
    const file = this.fileFor(key)
    const text = await this.#read(key, file)
    if (text === undefined) return this.#loadLegacy(key)
    const state = parse(text)
    if (state) return state
    const aside = `${file}.corrupt-${Date.now()}`
    await fs()
      .rename(file, aside)
      .catch(() => {})
    this.#logger.warn(`state of "${key}" in ${file} is corrupt; moved it to ${aside} and starting from defaults`)
    return undefined
  }

  /** State written under the file names (or the shared folder) of versions before 0.2; revision 0 so the first save creates the new file. */
  async #loadLegacy(key: string): Promise<StoredState | undefined> {
    const name = legacyStateFileName(key)
    const candidates = [name === stateFileName(key) ? undefined : join(this.dir, name), this.#legacyRoot && join(this.#legacyRoot, name)]
    for (const file of candidates) {
      if (!file) continue
      const text = await this.#read(key, file)
      const state = text === undefined ? undefined : parse(text)
      if (!state) continue
      this.#logger.warn(`state of "${key}" read from ${file}, written by an older version; it is saved to ${this.fileFor(key)} from now on`)
      return { ...state, revision: 0, writeIds: [] }
    }
    return undefined
  }

  async #read(key: string, file: string): Promise<string | undefined> {
    try {
      const info = await fs().stat(file)
      if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EINVAL' })
      if (info.size > MAX_STATE_BYTES) throw Object.assign(new Error(`larger than ${MAX_STATE_BYTES} bytes`), { code: 'EFBIG' })
      return await fs().readFile(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw new StateError(`cannot read state of "${key}" from ${file}: ${describeError(error)}`, { cause: error, pluginId: key })
    }
  }

  /**
   * Saves `state` atomically under the file's lock; on failure the previous file is untouched.
   * @throws StateConflictError when `options.expectedRevision` is not the stored revision
   */
  async save(key: string, state: StoredState, options: SaveStateOptions = {}): Promise<void> {
    await this.#prepare()
    const file = this.fileFor(key)
    try {
      await withFileLock(file, async () => {
        const current = await this.#current(key, file)
        const revision = current?.revision ?? 0
        if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
          throw new StateConflictError(
            `state of "${key}" in ${file} changed meanwhile (revision ${revision}, expected ${options.expectedRevision}); reload and merge`,
            { pluginId: key, expectedRevision: options.expectedRevision, actualRevision: revision },
          )
        }
        const writeIds = options.writeId ? [...(current?.writeIds ?? []), options.writeId].slice(-KEPT_WRITE_IDS) : undefined
        const body = { ...envelopeOf(state), revision: revision + 1, ...(writeIds ? { writeIds } : {}) }
        await this.#write(file, `${JSON.stringify(body, null, 2)}\n`)
      })
    } catch (error) {
      if (error instanceof StateError) throw error
      throw new StateError(`cannot save state of "${key}" to ${file}: ${describeError(error)}; the previous state is kept`, {
        cause: error,
        pluginId: key,
      })
    }
    await syncDir(this.dir)
  }

  async #current(key: string, file: string): Promise<StoredState | undefined> {
    const text = await this.#read(key, file)
    return text === undefined ? undefined : parse(text)
  }

  async #write(file: string, text: string): Promise<void> {
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    try {
      const handle = await fs().open(temp, 'wx', 0o600)
      try {
        await handle.writeFile(text, 'utf8')
        await handle.sync()
      } finally {
        await handle.close()
      }
      await fs().rename(temp, file)
    } catch (error) {
      await fs()
        .unlink(temp)
        .catch(() => {})
      throw error
    }
  }

  /** Deletes `key`'s state file. */
  async delete(key: string): Promise<void> {
    const file = this.fileFor(key)
    await withFileLock(file, () => fs().unlink(file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT')
        throw new StateError(`cannot delete state of "${key}": ${error.message}`, { cause: error, pluginId: key })
    })
  }

  /** Reports saves of `key` by any process of this machine (the file is checked every `watchIntervalMs`). */
  watch(key: string, listener: StateListener): () => void {
    const file = this.fileFor(key)
    let last: string | undefined
    let busy = false
    const check = async (): Promise<void> => {
      const info = await fs()
        .stat(file)
        .catch(() => undefined)
      const sign = info ? `${info.ino}:${info.mtimeMs}:${info.size}` : 'none'
      if (last === undefined) last = sign
      if (sign === last) return
      last = sign
      listener(info ? await this.#current(key, file) : undefined)
    }
    const timer = setInterval(() => {
      if (busy) return
      busy = true
      check()
        .catch((error: unknown) => this.#logger.debug(`watching state of "${key}" failed: ${describeError(error)}`))
        .finally(() => (busy = false))
    }, this.#watchMs)
    timer.unref()
    void check().catch(() => {})
    return () => clearInterval(timer)
  }
}

function parse(text: string): StoredState | undefined {
  try {
    return envelopeOf(JSON.parse(text) as unknown, true)
  } catch {
    return undefined
  }
}

/** Makes a rename durable; best effort (folders cannot be opened for fsync on every platform). */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fs().open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // the file itself is complete and renamed; only durability across a power loss is weaker here
  }
}
