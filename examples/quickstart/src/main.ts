/**
 * The guided tour of the PepperPy plugin system (`pnpm demo`). Every step uses the public API of
 * `@pepperpy/plugins` against the local providers in ./plugins (no network needed).
 */
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import {
  autoContext,
  createLogger,
  createPluginSystem,
  formatBootReport,
  graphToMermaid,
  MemoryStateStore,
  PepperpyPlugin,
  PluginNotFoundError,
  type Logger,
} from '@pepperpy/plugins'
import type { EchoLLM } from '../plugins/llm/echo/provider.ts'
import type { MemoryRag } from '../plugins/rag/memory/provider.ts'

const here = fileURLToPath(new URL('..', import.meta.url))
const color = process.stdout.isTTY && !process.env['NO_COLOR']
const bold = (s: string): string => (color ? `\x1b[1m${s}\x1b[22m` : s)
const dim = (s: string): string => (color ? `\x1b[2m${s}\x1b[22m` : s)
let step = 0
const section = (title: string, code?: string): void => {
  console.log(`\n${bold(`${++step}. ${title}`)}`)
  if (code) console.log(dim(code.replace(/^/gm, '   > ')))
}

// Warnings from the system (fallbacks, optional dependencies) are part of the tour: show them inline.
const base = createLogger({ level: 'warn', write: (line) => console.log(`   ${dim(line)}`) })
const logger: Logger = base

console.log(bold('PepperPy plugin system — a guided tour'))
console.log(dim(`plugins folder: ${join(here, 'plugins')}`))

const system = createPluginSystem({
  cwd: here,
  defaultPaths: false,
  paths: [join(here, 'plugins')],
  stateDir: process.env['PEPPERPY_STATE_DIR'] ?? join(here, '.pepperpy-state'),
  logger,
})

try {
  section('Discovery: plugin.yaml manifests under ./plugins (no plugin code is imported yet)', 'await system.discoverPlugins()')
  const report = await system.discoverPlugins()
  for (const p of report.plugins) console.log(`   ${p.type}/${p.provider}`.padEnd(22) + dim(`${p.version ?? ''}  ${p.description ?? ''}`))
  console.log(`   ${report.plugins.length} plugins, ${report.diagnostics.length} diagnostics`)

  section('Create and use a provider', "const llm = await system.createProviderInstance('llm', 'echo')")
  const llm = (await system.createProviderInstance('llm', 'echo')) as EchoLLM
  await llm.initialize()
  console.log(`   ${llm.pluginId} says: ${await llm.generate('What is the capital of France?')}`)
  await llm.cleanup()

  section('An alias with preset config (call config still wins)', "system.registerPluginAlias('llm', 'shout', 'echo', { style: 'upper' })")
  system.registerPluginAlias('llm', 'shout', 'echo', { style: 'upper' })
  const shout = (await system.createProviderInstance('llm', 'shout')) as EchoLLM
  console.log(`   shout (really ${shout.pluginId}): ${await shout.generate('hello plugins')}`)
  const whisper = (await system.createProviderInstance('llm', 'shout', { style: 'reverse' })) as EchoLLM
  console.log(`   shout with { style: 'reverse' }: ${await whisper.generate('hello plugins')}`)

  section(
    'Fallbacks: openai is not installed here, so the next available provider is used',
    "system.registerPluginFallbacks('llm', ['openai', 'echo'])",
  )
  system.registerPluginFallbacks('llm', ['openai', 'echo'])
  const fallback = (await system.createProviderInstance('llm', 'openai')) as EchoLLM
  console.log(`   asked for llm/openai, got ${fallback.pluginId}`)
  try {
    await system.createProviderInstance('tts', 'elevenlabs')
  } catch (error) {
    if (error instanceof PluginNotFoundError) console.log(`   and with nothing to fall back to: ${dim(error.message)}`)
    else throw error
  }

  section(
    'Dependencies: rag/memory requires embeddings/hash and optionally storage/local',
    "const rag = await manager.createInstance('rag', 'memory'); await manager.loadDependencies('rag', 'memory')",
  )
  const manager = system.manager
  const rag = (await manager.createInstance('rag', 'memory')) as MemoryRag
  await manager.loadDependencies('rag', 'memory')
  await rag.initialize()
  console.log(`   initialization order: ${manager.getInitializationOrder().join(' -> ')}`)
  await rag.add('Paris is the capital of France.', 'Berlin is the capital of Germany.', 'Plugins are loaded lazily.')
  console.log(`   rag.query('capital of France') -> ${JSON.stringify(await rag.query('capital of France'))}`)

  section(
    'A shared resource: embeddings/hash and rag/memory hold the same tokenizer',
    "await this.getResource('tokenizer', { factory, cleanup })",
  )
  console.log(
    `   held: ${system.resources.has('tokenizer') ? 'yes' : 'no'}; both plugins see tokenizer #${rag.tokenizerId()} (its factory ran once)`,
  )

  section(
    'State that survives restarts: a persistent counter',
    'export default persistentPlugin(class RunCounter extends PepperpyPlugin { counter = 0 })',
  )
  const counter = (await system.createProviderInstance('stats', 'counter')) as unknown as {
    increment(): Promise<number>
    initialize(): Promise<void>
    cleanup(): Promise<void>
  }
  await counter.initialize()
  const runs = await counter.increment()
  console.log(`   this demo has run ${bold(String(runs))} time${runs === 1 ? '' : 's'} (run it again: the number goes up)`)
  await counter.cleanup()

  section('autoContext: initialize, use, always clean up', "await autoContext(llm, (l) => l.generate('bye'))")
  const bye = await autoContext((await system.createProviderInstance('llm', 'echo', { prefix: 'ctx' })) as EchoLLM, (l) =>
    l.generate('bye'),
  )
  console.log(`   ${bye}`)

  section(
    "A boot that survives a failing plugin, and its boot report: createPluginSystem({ bootFailure: 'continue' })",
    'await boot.manager.initialize(); console.log(formatBootReport(boot.manager.bootReport()))',
  )
  await bootReportTour()

  section('The dependency graph (mermaid)', 'graphToMermaid(system.graph())')
  console.log(graphToMermaid(system.graph()).replace(/^/gm, '   '))

  section('Shutdown: dependents first, then shared resources', 'await system.dispose()')
  console.log(`   shutdown order: ${manager.getShutdownOrder().join(' -> ')}`)
} finally {
  await system.dispose()
}
console.log(
  `\n${bold('Done.')} Next: docs/getting-started.md, or the CLI on these plugins: \`cd examples/quickstart && pnpm pepperpy list\`.`,
)

/** db/flaky cannot connect; reports/daily requires it, cache/warm only enhances it; llm/echo is on its own. */
async function bootReportTour(): Promise<void> {
  // the tour's logger, first lines only (the error's stack is for a real log)
  const brief = createLogger({ level: 'warn', write: (line) => console.log(`   ${dim(line.split('\n')[0]!)}`) })
  const boot = createPluginSystem({
    defaultPaths: false,
    paths: [join(here, 'plugins')],
    stateStore: new MemoryStateStore(),
    logger: brief,
    bootFailure: 'continue',
  })
  const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
  boot.registerPlugin(
    'db',
    'flaky',
    class extends PepperpyPlugin {
      override async initialize() {
        await settle(5)
        throw new Error('connect ECONNREFUSED 127.0.0.1:5432')
      }
    },
  )
  boot.registerPlugin('reports', 'daily', class extends PepperpyPlugin {}, { dependencies: [{ type: 'db', provider: 'flaky' }] })
  boot.registerPlugin(
    'cache',
    'warm',
    class extends PepperpyPlugin {
      override async initialize() {
        await settle(10)
      }
    },
    { dependencies: [{ type: 'db', provider: 'flaky', dependencyType: 'enhances' }] },
  )
  try {
    for (const [type, provider] of [
      ['reports', 'daily'],
      ['cache', 'warm'],
      ['llm', 'echo'],
    ] as const)
      await boot.manager.createInstance(type, provider)
    await boot.manager.initialize()
    console.log(formatBootReport(boot.manager.bootReport()).replace(/^/gm, '   '))
    console.log(`   health: ${boot.manager.health().status}`)
  } finally {
    await boot.dispose()
  }
}
