import { basename, resolve } from 'node:path'

/** Editor and tool leftovers: `x.tmp`, `x~`, vim swap files, JetBrains safe-write copies. */
const TEMP_FILE = /(\.tmp|\.temp|\.swp|\.swx|~|___jb_(tmp|old)___)$/

/**
 * The `ignored` function given to chokidar (v5 has no globs): skips `node_modules`, dotfiles and
 * dot-folders, and temp files, judged by the last path segment so that a watched folder that
 * itself lives under a dot-folder (`~/.pepperpy/plugins`) or in node_modules is still watched.
 * `roots` is read on every call, so folders added later are honoured.
 */
export function createWatchFilter(roots: ReadonlySet<string>): (path: string) => boolean {
  return (path: string): boolean => {
    if (roots.has(resolve(path))) return false
    const name = basename(path)
    return name === 'node_modules' || name.startsWith('.') || TEMP_FILE.test(name)
  }
}
