/**
 * Checks that every relative link in README.md, docs/*.md and the package, example and bench READMEs
 * resolves: the file exists (a folder is refused: the docs site copies files only) and, for a `#fragment`
 * into a Markdown file, the heading does.
 * `pnpm lint` runs it (`pnpm lint:links` alone); exit code 1 with one `file:line: link: why` per broken link.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** One link that does not resolve. */
export interface BrokenLink {
  file: string
  line: number
  link: string
  reason: string
}

/** The Markdown files whose links are checked, relative to `root`. */
export function markdownFiles(root: string): string[] {
  const files = ['README.md']
  const inFolder = (dir: string, pick: (name: string) => string | undefined): void => {
    if (!existsSync(join(root, dir))) return
    for (const name of readdirSync(join(root, dir)).sort()) {
      const file = pick(name)
      if (file && existsSync(join(root, dir, file))) files.push(join(dir, file))
    }
  }
  inFolder('docs', (name) => (name.endsWith('.md') ? name : undefined))
  for (const dir of ['packages', 'examples']) inFolder(dir, (name) => join(name, 'README.md'))
  if (existsSync(join(root, 'bench', 'README.md'))) files.push(join('bench', 'README.md'))
  return files.filter((f) => existsSync(join(root, f)))
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

/** The anchors of a Markdown file's headings (repeated headings get `-1`, `-2`, ... as on GitHub). */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const out = new Set<string>()
  for (const line of withoutCode(markdown).split('\n')) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (!m) continue
    const base = slug(m[1]!)
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n === 0 ? base : `${base}-${n}`)
  }
  return out
}

/** Every broken relative link in `files` (relative to `root`). */
export function brokenLinks(root: string, files: string[] = markdownFiles(root)): BrokenLink[] {
  const broken: BrokenLink[] = []
  for (const file of files) {
    const text = withoutCode(readFileSync(join(root, file), 'utf8'))
    text.split('\n').forEach((lineText, i) => {
      for (const link of linksIn(lineText)) {
        const reason = check(root, file, link)
        if (reason) broken.push({ file, line: i + 1, link, reason })
      }
    })
  }
  return broken
}

/** Why `link` in `file` does not resolve, or undefined when it does (external links are not checked). */
function check(root: string, file: string, link: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link)) return undefined // https:, mailto:, ...
  const [path = '', fragment] = link.split('#', 2)
  const target = path === '' ? join(root, file) : resolve(root, dirname(file), decodeURI(path))
  if (!existsSync(target)) return `${relative(root, target) || '.'} does not exist`
  // GitHub shows a folder's README, but the docs site (typedoc) copies files only
  if (path !== '' && statSync(target).isDirectory())
    return `${relative(root, target) || '.'} is a folder; link a file in it (its README.md)`
  if (fragment && target.endsWith('.md') && statSync(target).isFile()) {
    if (!anchors(readFileSync(target, 'utf8')).has(fragment.toLowerCase())) return `no heading "#${fragment}" in ${relative(root, target)}`
  }
  return undefined
}

/** The targets of inline Markdown links and images on one line: `[text](target "title")`. */
function linksIn(line: string): string[] {
  const out: string[] = []
  for (const m of line.replace(/`[^`]*`/g, '').matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push(m[1]!)
  return out
}

/** The text with fenced code blocks blanked (line numbers kept). */
function withoutCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ''))
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const files = markdownFiles(root)
  const broken = brokenLinks(root, files)
  for (const b of broken) console.error(`${b.file}:${b.line}: ${b.link}: ${b.reason}`)
  console.log(`links: ${files.length} files checked, ${broken.length} broken`)
  process.exitCode = broken.length > 0 ? 1 : 0
}
