/**
 * Hot reload, end to end: copy ./plugins to a temp folder, create an instance, then rewrite its
 * provider.ts twice (new code, then broken code) and watch the same handle follow along.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLogger, createPluginSystem } from '@pepperpy/plugins'
import type { Greeter } from '../plugins/greeter/hello/provider.ts'

const root = mkdtempSync(join(tmpdir(), 'pepperpy-hot-'))
cpSync(fileURLToPath(new URL('../plugins', import.meta.url)), root, { recursive: true })
const file = join(root, 'greeter', 'hello', 'provider.ts')
const system = createPluginSystem({ defaultPaths: false, paths: [root], logger: createLogger({ level: 'silent' }) })

const next = (handle: Awaited<ReturnType<typeof system.startHotReload>>, event: 'reload' | 'error') =>
  new Promise<string>((resolve) =>
    handle.on(event as 'error', (e: { pluginId?: string; error?: Error }) => resolve(e.error ? e.error.message : (e.pluginId ?? ''))),
  )

try {
  const greeter = (await system.createProviderInstance('greeter', 'hello')) as Greeter
  await greeter.initialize()
  const watcher = await system.startHotReload({ debounceMs: 50 })
  await watcher.ready
  console.log(await greeter.greet('Ada'))
  console.log(await greeter.greet('Ada'))

  const reloaded = next(watcher, 'reload')
  writeFileSync(file, readFileSync(file, 'utf8').replace('Hello, ${name} (v1', 'Bonjour, ${name} (v2'))
  console.log(`edited provider.ts -> reloaded ${await reloaded}`)
  console.log(await greeter.greet('Ada'))

  const failed = next(watcher, 'error')
  writeFileSync(file, 'export class Greeter extends {{{ this is not TypeScript')
  console.log(`broke provider.ts -> error event: ${(await failed).split('\n')[0]}`)
  console.log(`${await greeter.greet('Ada')} (the old code keeps serving)`)
  await watcher.stop()
} finally {
  await system.dispose()
  rmSync(root, { recursive: true, force: true })
}
