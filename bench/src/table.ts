import type { CaseResult } from './harness.js'

const fmt = (n: number | null, unit = ''): string => {
  if (n === null || Number.isNaN(n)) return '-'
  const abs = Math.abs(n)
  const s = abs >= 100 ? n.toFixed(0) : abs >= 10 ? n.toFixed(1) : abs >= 1 ? n.toFixed(2) : n.toPrecision(3)
  return unit ? `${s} ${unit}` : s
}

/** The results as a markdown table (printed, and pasted into the README's Performance section). */
export function markdownTable(results: CaseResult[]): string {
  const rows = ['| case | ours | peer | peer value | ratio | goal | met | spread |', '|---|---|---|---|---|---|---|---|']
  for (const r of results) {
    rows.push(
      `| ${r.id} | ${fmt(r.ours, r.unit)} | ${r.peer ?? '-'} | ${fmt(r.peerValue, r.unit)} | ${fmt(r.ratio)} | ${r.goal} | ${r.met ? 'yes' : '**no**'} | ${(r.spread * 100).toFixed(0)}% |`,
    )
  }
  return rows.join('\n')
}
