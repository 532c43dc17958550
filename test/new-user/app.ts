import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cleanEnv, type Packed } from './global-setup.js'

/** The package managers a new user may have. */
export type PackageManager = 'npm' | 'pnpm'

const repo = fileURLToPath(new URL('../../', import.meta.url))

/** The fenced code blocks of a Markdown file whose first line names a file (`// src/main.ts`, `# plugins/x/plugin.yaml`), by that name. */
export function namedBlocks(markdownFile: string): Record<string, string> {
  const text = readFileSync(join(repo, markdownFile), 'utf8')
  const blocks: Record<string, string> = {}
  for (const m of text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
    const [first = '', ...rest] = m[1]!.split('\n')
    const name = /^(?:\/\/|#) ([\w./-]+\.(?:ts|ya?ml|json))$/.exec(first)?.[1]
    if (name) blocks[name] = rest.join('\n')
  }
  return blocks
}

/** The first ```ts block of a Markdown file. */
export function firstTsBlock(markdownFile: string): string {
  const m = /```ts\n([\s\S]*?)```/.exec(readFileSync(join(repo, markdownFile), 'utf8'))
  if (!m) throw new Error(`${markdownFile} has no \`\`\`ts block`)
  return m[1]!
}

/** The result of one command run in the app. */
export interface Ran {
  code: number
  stdout: string
  stderr: string
}

/** A fresh app folder outside the workspace, with its own HOME for what it runs. */
export class App {
  readonly dir: string
  readonly home: string
  constructor(readonly pm: PackageManager) {
    this.dir = mkdtempSync(join(tmpdir(), `pepperpy-new-user-${pm}-`))
    this.home = mkdtempSync(join(tmpdir(), `pepperpy-new-user-home-`))
  }

  write(rel: string, text: string): void {
    const file = join(this.dir, rel)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, text)
  }

  read(rel: string): string {
    return readFileSync(join(this.dir, rel), 'utf8')
  }

  /** Runs a command in the app folder; installs keep the machine's HOME (its package caches), the rest get the app's. */
  run(command: string, args: string[], options: { ownHome?: boolean } = {}): Promise<Ran> {
    const env = cleanEnv(options.ownHome === false ? {} : { HOME: this.home, PEPPERPY_PLUGIN_PATH: '' })
    return new Promise((resolve) => {
      execFile(command, args, { cwd: this.dir, env, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      )
    })
  }

  /** `npx pepperpy ...` (npm) or `pnpm exec pepperpy ...` (pnpm): the installed bin, never a download. */
  pepperpy(args: string[]): Promise<Ran> {
    return this.pm === 'npm' ? this.run('npx', ['--no-install', 'pepperpy', ...args]) : this.run('pnpm', ['exec', 'pepperpy', ...args])
  }

  /** Installs like getting-started says, with the packed tarballs standing in for the registry's @pepperpy/* packages. */
  async install(packed: Packed): Promise<void> {
    await this.must(
      this.pm === 'npm' ? this.run('npm', ['init', '-y'], { ownHome: false }) : this.run('pnpm', ['init'], { ownHome: false }),
    )
    await this.must(this.run('npm', ['pkg', 'set', 'type=module'], { ownHome: false }))
    // what `npm i @pepperpy/plugins pepperpy-plugin-acme` and `npm i -D @pepperpy/cli typescript @types/node` write,
    // with the packed tarballs standing in for the registry (overrides make every @pepperpy/* dependency use them)
    const pkg = JSON.parse(this.read('package.json')) as Record<string, unknown>
    const tarballs = Object.fromEntries(Object.entries(packed.published).map(([name, file]) => [name, `file:${file}`]))
    pkg['dependencies'] = { '@pepperpy/plugins': tarballs['@pepperpy/plugins'], 'pepperpy-plugin-acme': `file:${packed.thirdParty}` }
    pkg['devDependencies'] = { '@pepperpy/cli': tarballs['@pepperpy/cli'], typescript: '~5.9.3', '@types/node': '^20.19.0' }
    if (this.pm === 'npm') pkg['overrides'] = tarballs
    else {
      pkg['pnpm'] = { overrides: tarballs }
      // pnpm cannot settle a peer on a file: tarball (it asks the registry for @pepperpy/plugin@0.1.0, which a
      // registry install would have): the plugin package's peer stays unmet here and the host's contract serves it
      this.write('.npmrc', 'auto-install-peers=false\ndedupe-peer-dependents=false\n')
    }
    this.write('package.json', `${JSON.stringify(pkg, null, 2)}\n`)
    const flags =
      this.pm === 'npm' ? ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'] : ['--prefer-offline', '--loglevel=error']
    await this.must(this.run(this.pm, ['install', ...flags], { ownHome: false }))
  }

  /** Resolves to the run when it exited 0; otherwise rejects with everything it printed. */
  async must(ran: Promise<Ran>): Promise<Ran> {
    const r = await ran
    if (r.code !== 0) throw new Error(`exit ${r.code} in ${this.dir}\n${r.stdout}\n${r.stderr}`)
    return r
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true })
    rmSync(this.home, { recursive: true, force: true })
  }
}
