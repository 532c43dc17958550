import { createRequire } from 'node:module'
import { homedir } from 'node:os'

// node:fs/promises is loaded on the first save or load, not when the package is imported (~1 ms)
const require = createRequire(import.meta.url)
let fsp: typeof import('node:fs/promises') | undefined
const fs = (): typeof import('node:fs/promises') => (fsp ??= require('node:fs/promises') as typeof import('node:fs/promises'))
// node:crypto likewise on the first save (importing it costs several milliseconds)
const randomBytes = (n: number): Buffer => (require('node:crypto') as typeof import('node:crypto')).randomBytes(n)
import { join } from 'node:path'
import { createLogger, StateError, type Logger, type StateStore, type StoredState } from '@pepperpy/plugin'

/** Options of {@link FileStateStore}. */
export interface FileStateStoreOptions {
  /** Folder of the state files. @default env PEPPERPY_STATE_DIR, else ~/.pepperpy/state */
  dir?: string
  /** Where corrupt-file warnings go. @default the contract's default logger */
  logger?: Logger
}

/** The file name for a state key: `llm/echo` -> `llm__echo.json`; never a path. */
export function stateFileName(key: string): string {
  const safe = key
    .replace(/\//g, '__')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '_')
  return `${safe || '_'}.json`
}

function isEnvelope(value: unknown): value is StoredState {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v['version'] === 'number' && typeof v['data'] === 'object' && v['data'] !== null && !Array.isArray(v['data'])
}

const STALE_TEMP_MS = 60_000

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
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

/**
 * Stores each plugin's state as one JSON file (`{ version, data, savedAt }`). Writes are atomic:
 * a temp file in the same folder, fsync, rename, fsync of the folder; files are 0600 and the
 * folder 0700. A corrupt file is moved aside (`<file>.corrupt-<time>`) with a warning.
 */
export class FileStateStore implements StateStore {
  /** The folder of the state files. */
  readonly dir: string
  readonly #logger: Logger
  #ready: Promise<void> | undefined

  constructor(options: FileStateStoreOptions = {}) {
    this.dir = options.dir ?? process.env['PEPPERPY_STATE_DIR'] ?? join(homedir(), '.pepperpy', 'state')
    this.#logger = options.logger ?? createLogger()
  }

  /** The file that holds `key`'s state. */
  fileFor(key: string): string {
    return join(this.dir, stateFileName(key))
  }

  #prepare(): Promise<void> {
    this.#ready ??= (async () => {
      const created = await fs().mkdir(this.dir, { recursive: true, mode: 0o700 })
      if (created !== undefined) await fs().chmod(this.dir, 0o700)
      // temp files of writers that died mid-write; a live writer's fresh temp is left alone (a
      // write takes milliseconds, so an old temp is stale even when its pid was reused)
      for (const name of await fs().readdir(this.dir)) {
        const m = /\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name)
        if (!m) continue
        const path = join(this.dir, name)
        const stale =
          !alive(Number(m[1])) ||
          Date.now() -
            (
              await fs()
                .stat(path)
                .catch(() => ({ mtimeMs: 0 }))
            ).mtimeMs >
            STALE_TEMP_MS
        if (stale)
          await fs()
            .unlink(path)
            .catch(() => {})
      }
    })().catch((error: unknown) => {
      this.#ready = undefined
      throw new StateError(`cannot prepare state folder ${this.dir}: ${(error as Error).message}`, { cause: error })
    })
    return this.#ready
  }

  /** The state saved for `key`; undefined when none, or when the file was corrupt (it is moved aside). */
  async load(key: string): Promise<StoredState | undefined> {
    const file = this.fileFor(key)
    let text: string
    try {
      text = await fs().readFile(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw new StateError(`cannot read state of "${key}" from ${file}: ${(error as Error).message}`, { cause: error, pluginId: key })
    }
    try {
      const value = JSON.parse(text) as unknown
      if (isEnvelope(value)) return value
    } catch {
      // handled below
    }
    const aside = `${file}.corrupt-${Date.now()}`
    await fs()
      .rename(file, aside)
      .catch(() => {})
    this.#logger.warn(`state of "${key}" in ${file} is corrupt; moved it to ${aside} and starting from defaults`)
    return undefined
  }

  /** Saves `state` atomically; on failure the previous file is untouched. */
  async save(key: string, state: StoredState): Promise<void> {
    await this.#prepare()
    const file = this.fileFor(key)
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    const text = `${JSON.stringify({ version: state.version, data: state.data, savedAt: state.savedAt ?? new Date().toISOString() }, null, 2)}\n`
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
      throw new StateError(`cannot save state of "${key}" to ${file}: ${(error as Error).message}; the previous state is kept`, {
        cause: error,
        pluginId: key,
      })
    }
    await syncDir(this.dir)
  }

  /** Deletes `key`'s state file. */
  async delete(key: string): Promise<void> {
    await fs()
      .unlink(this.fileFor(key))
      .catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT')
          throw new StateError(`cannot delete state of "${key}": ${error.message}`, { cause: error, pluginId: key })
      })
  }
}
