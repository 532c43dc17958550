/** Finds the plugins of `pepperpy-plugin-acme` through this app's package.json dependencies. */
import { fileURLToPath } from 'node:url'
import { autoContext, createPluginSystem } from '@pepperpy/plugins'

const system = createPluginSystem({ cwd: fileURLToPath(new URL('..', import.meta.url)) })
try {
  const report = await system.discoverPlugins()
  for (const p of report.plugins) console.log(`found ${p.type}/${p.provider} (${p.source}) ${p.description ?? ''}`)
  for (const d of report.diagnostics) console.log(`${d.severity}: ${d.message}`)
  for (const provider of ['acme', 'acme-fast']) {
    const tts = (await system.createProviderInstance('tts', provider)) as unknown as { speak(t: string): Promise<string> } & Parameters<
      typeof autoContext
    >[0]
    console.log(await autoContext(tts, () => tts.speak('plugins from packages')))
  }
} finally {
  await system.dispose()
}
