import type { IsolationReport } from '@pepperpy/plugins'

/** Human lines for a plugin's isolation: mode, limits, effective permissions and what is not enforced. */
export function isolationLines(r: IsolationReport): string[] {
  if (r.problem) return [`isolation     cannot start isolated: ${r.problem}`]
  if (r.mode === 'none') return ['isolation     none (runs in the host process)']
  const lines = [`isolation     ${r.mode}`]
  const limits = [r.memoryMb ? `memory ${r.memoryMb} MB` : undefined, r.callTimeoutMs ? `calls ${r.callTimeoutMs} ms` : undefined].filter(
    Boolean,
  )
  if (limits.length) lines.push(`limits        ${limits.join(', ')}`)
  if (r.restart) lines.push(`restart       disabled after ${r.restart.max} crashes within ${r.restart.windowMs} ms`)
  const p = r.permissions
  if (p) {
    lines.push(`reads         ${p.fsRead.join(', ')}`)
    lines.push(`writes        ${p.fsWrite.length ? p.fsWrite.join(', ') : 'nothing'}`)
    lines.push(`child procs   ${p.childProcess ? 'allowed' : 'denied'}`)
    lines.push(`workers       ${p.worker ? 'allowed' : 'denied'}`)
  }
  if (r.notEnforced.length) lines.push(`not enforced  ${r.notEnforced.join(', ')}`)
  return lines
}
