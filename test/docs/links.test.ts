import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { anchors, brokenLinks, markdownFiles } from '../../scripts/check-links.ts'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const tmp = mkdtempSync(join(tmpdir(), 'pepperpy-links-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('relative links in the docs (scripts/check-links.ts, run by pnpm lint)', () => {
  it('every one in README.md, docs/ and the package READMEs resolves', () => {
    const files = markdownFiles(repo)
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/getting-started.md', 'packages/plugins/README.md']))
    expect(brokenLinks(repo, files)).toEqual([])
  })

  it('reports a missing file, a missing heading and nothing else, with file and line', () => {
    mkdirSync(join(tmp, 'docs'), { recursive: true })
    writeFileSync(join(tmp, 'docs', 'b.md'), '# B page\n\n## Two words `code`\n')
    writeFileSync(
      join(tmp, 'README.md'),
      [
        '# Title',
        '[ok](docs/b.md) [ok anchor](docs/b.md#two-words-code) [self](#title) [web](https://example.com/x)',
        '[gone](examples/third-party-plugin) and ![img](docs/missing.png "title")',
        '```md',
        '[inside a code block](nowhere.md)',
        '```',
        '`[inline code](nowhere.md)` [bad anchor](docs/b.md#three)',
        '[a folder](docs)',
      ].join('\n'),
    )
    expect(brokenLinks(tmp, ['README.md'])).toEqual([
      { file: 'README.md', line: 3, link: 'examples/third-party-plugin', reason: 'examples/third-party-plugin does not exist' },
      { file: 'README.md', line: 3, link: 'docs/missing.png', reason: 'docs/missing.png does not exist' },
      { file: 'README.md', line: 7, link: 'docs/b.md#three', reason: 'no heading "#three" in docs/b.md' },
      { file: 'README.md', line: 8, link: 'docs', reason: 'docs is a folder; link a file in it (its README.md)' },
    ])
  })

  it('anchors follow GitHub: punctuation dropped, repeats numbered', () => {
    expect([...anchors('# A, b: c\n## Config (v2)\n## Config (v2)\n```\n# not a heading\n```\n')]).toEqual([
      'a-b-c',
      'config-v2',
      'config-v2-1',
    ])
  })
})
