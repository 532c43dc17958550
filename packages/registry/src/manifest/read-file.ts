import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs'

/** A file's text, or why it was not read. */
export type ReadResult = { text: string } | { error: string }

let buffer: Buffer | undefined

/**
 * Reads a regular file of at most `limit` bytes as UTF-8. Opens without blocking (a FIFO named
 * plugin.yaml never hangs the process), refuses anything that is not a regular file after
 * following links (FIFOs, sockets, `/dev/zero` and other devices) and reads at most `limit + 1`
 * bytes whatever the file claims, so a file that grows or lies about its size cannot exhaust memory.
 * Never throws: every operating-system error is returned as a message with its code.
 */
export function readRegularFile(file: string, limit: number): ReadResult {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    return { error: `cannot be read: ${describe(error)}` }
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) return { error: `is not a regular file (${kindOf(stat)}); only regular files are read` }
    if (stat.size > limit) return { error: `is ${stat.size} bytes; the limit is ${limit}` }
    const size = limit + 1
    const buf = buffer !== undefined && buffer.length >= size ? buffer : Buffer.allocUnsafe(size)
    if (size <= 256 * 1024) buffer = buf
    let length = 0
    for (let n = -1; n !== 0 && length < size; length += n) n = readSync(fd, buf, length, size - length, null)
    if (length > limit) return { error: `is more than ${limit} bytes; the limit is ${limit}` }
    return { text: buf.toString('utf8', 0, length) }
  } catch (error) {
    return { error: `cannot be read: ${describe(error)}` }
  } finally {
    closeSync(fd)
  }
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException
  return e.code ? `${e.code} (${e.message})` : String(e?.message ?? error)
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder'
  if (stat.isFIFO()) return 'a FIFO'
  if (stat.isCharacterDevice()) return 'a character device'
  if (stat.isBlockDevice()) return 'a block device'
  if (stat.isSocket()) return 'a socket'
  return 'not a file'
}
