/**
 * The apps the cold-start case runs as whole processes: a folder with `node_modules/@pepperpy/*`
 * linked to this repository's packages (what an install gives), `./plugins` with one `.mjs` and one
 * `.ts` plugin (and, for the large app, PepperPy's 88 real manifests beside them), the scripts,
 * and the plain script that imports the `.mjs` plugin's module itself and calls it.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('../../../', import.meta.url))
const PACKAGES = ['plugin', 'plugins', 'registry', 'manager', 'resources', 'extensions']

/** PepperPy's 88 real manifests, vendored in the repository. */
export function realManifests(): string {
  const dir = join(repo, 'test/fixtures/pepperpy-manifests')
  if (!existsSync(join(dir, 'plugins'))) throw new Error(`PepperPy manifests fixture not found in ${dir}`)
  return dir
}

const put = (file: string, text: string): void => {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
}

/** The script of one app: the first call of `provider`, as a user writes it. */
const appScript = (provider: string): string => `import { autoContext, createProviderInstance } from '@pepperpy/plugins'
const plugin = await createProviderInstance('demo', '${provider}')
const out = await autoContext(plugin, (p) => p.greet('world'))
if (out !== 'hello world') throw new Error('unexpected ' + out)
`

/** Writes an app under `dir`; with `real`, the 88 real manifests go into its ./plugins too. */
export function writeApp(dir: string, real: boolean): void {
  for (const name of PACKAGES) {
    const link = join(dir, 'node_modules', '@pepperpy', name)
    mkdirSync(dirname(link), { recursive: true })
    symlinkSync(join(repo, 'packages', name), link, 'dir')
  }
  put(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: { '@pepperpy/plugins': '*' } }))
  put(
    join(dir, 'plugins/demo/mjsp/plugin.yaml'),
    'name: mjsp\nversion: 1.0.0\ndescription: JavaScript plugin\nentry_point: provider.mjs:Greeter\n',
  )
  put(
    join(dir, 'plugins/demo/mjsp/provider.mjs'),
    "import { PepperpyPlugin } from '@pepperpy/plugin'\nexport class Greeter extends PepperpyPlugin {\n  greet(name) {\n    return `hello ${name}`\n  }\n}\n",
  )
  put(
    join(dir, 'plugins/demo/tsp/plugin.yaml'),
    'name: tsp\nversion: 1.0.0\ndescription: TypeScript plugin\nentry_point: provider.ts:Greeter\n',
  )
  put(
    join(dir, 'plugins/demo/tsp/provider.ts'),
    "import { PepperpyPlugin } from '@pepperpy/plugin'\n\ninterface Options {\n  loud?: boolean\n}\n\nexport class Greeter extends PepperpyPlugin {\n  greet(name: string, options: Options = {}): string {\n    const text = `hello ${name}`\n    return options.loud ? text.toUpperCase() : text\n  }\n}\n",
  )
  put(join(dir, 'app-mjs.mjs'), appScript('mjsp'))
  put(join(dir, 'app-ts.mjs'), appScript('tsp'))
  put(
    join(dir, 'plain.mjs'),
    "import { Greeter } from './plugins/demo/mjsp/provider.mjs'\nconst plugin = new Greeter()\nawait plugin.initialize()\nif (plugin.greet('world') !== 'hello world') throw new Error('unexpected')\nawait plugin.cleanup()\n",
  )
  put(join(dir, 'import.mjs'), "await import('@pepperpy/plugins')\n")
  if (real) {
    const source = realManifests()
    for (const name of readdirSync(join(source, 'plugins')))
      cpSync(join(source, 'plugins', name), join(dir, 'plugins', name), { recursive: true })
    cpSync(join(source, 'assets/templates'), join(dir, 'plugins/templates'), { recursive: true })
  }
}

/** How many plugin.yaml files are under `dir`. */
export function countManifests(dir: string): number {
  let n = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += countManifests(join(dir, e.name))
    else if (e.name === 'plugin.yaml') n++
  }
  return n
}
