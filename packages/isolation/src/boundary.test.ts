import { expect, test } from 'vitest'
import { PepperpyPlugin } from '@pepperpy/plugin'
import { instantiatePlugin } from '@pepperpy/plugin/spi'
import { capturingLogger, isolated, memoryStore, newIsolation } from './__tests__/fixtures.js'
import { envFor } from './runtime/field-env.js'
import { alive, ObservedStore, type Probe, probeHarness } from './__tests__/harness.js'

const h = probeHarness()

test('persistent state is loaded from and saved to the host store, and reloaded after a crash', async () => {
  const store = new ObservedStore()
  const p = await h.probe({ isolation: 'worker' }, { store })
  await p.initialize()
  const saved = store.nextSave()
  expect(await p.bump()).toBe(1)
  expect(await p.bump()).toBe(2)
  expect((await saved).data).toMatchObject({ counter: expect.any(Number) })
  while ((await store.load([...store.data.keys()][0]!))?.data['counter'] !== 2) await store.nextSave()
  await expect(p.exit(3)).rejects.toMatchObject({ code: 'PLUGIN_CRASHED' })
  expect(await p.bump()).toBe(3)
})

test('the plugin logger reaches the host logger with the plugin name and level', async () => {
  const logger = capturingLogger()
  const p = await h.probe({ isolation: 'process' }, { logger })
  await p.initialize()
  await p.log('warn', 'careful from the isolate')
  await p.log('debug', 'detail from the isolate')
  await expect.poll(() => logger.lines.join('\n')).toContain('[test/iso] warn: careful from the isolate')
  await expect.poll(() => logger.lines.join('\n')).toContain('[test/iso] debug: detail from the isolate')
})

test('class fields read this plugin’s own environment variables; only those are handed to the isolate', async () => {
  expect(
    envFor('test', 'iso', {
      PEPPERPY_TEST__ISO__GREETING: 'a',
      PEPPERPY_TEST__MODEL: 'm',
      ISO_API_KEY: 'k',
      OTHER_SECRET: 'nope',
      PEPPERPY_LLM__X: 'y',
    }),
  ).toEqual({
    PEPPERPY_TEST__ISO__GREETING: 'a',
    PEPPERPY_TEST__MODEL: 'm',
    ISO_API_KEY: 'k',
  })
  const iso = newIsolation({ env: { PEPPERPY_TEST__ISO__GREETING: 'from env', OTHER_SECRET: 'nope' } })
  try {
    const p = (await isolated(iso, { ...h.folder })) as Probe
    await p.initialize()
    expect(await p.greet('x')).toBe('from env x')
    expect(p.config).toMatchObject({ greeting: 'from env' })
  } finally {
    await iso.dispose()
  }
})

test('await using cleans up the isolate', async () => {
  let pid = 0
  {
    await using p = await h.probe({ isolation: 'process' })
    await p.initialize()
    pid = (await p.where()).pid
    expect(alive(pid)).toBe(true)
  }
  expect(alive(pid)).toBe(false)
  expect(h.isolation.running()).toEqual([])
})

test('a dependency of the isolated plugin is a proxy of the host’s instance: calls cross both ways', async () => {
  const calls: unknown[] = []
  class Store extends PepperpyPlugin {
    async put(key: string, value: unknown) {
      calls.push([key, value])
      return `stored ${key}`
    }
  }
  const store = instantiatePlugin(Store, { type: 'storage', provider: 'mem' })
  await store.initialize()
  const base = { type: 'test', provider: 'dep', dir: h.folder.dir, file: h.folder.file }
  const spec = (await import('./spec.js')).isolationSpecOf({ isolation: 'worker' }, h.folder.dir)
  const target = { ...base, spec, dependencies: [{ type: 'storage' }] }
  const Class = h.isolation.classFor({ ...target, methods: await h.isolation.describe(target) })
  const p = instantiatePlugin(Class, {
    type: 'test',
    provider: 'dep',
    context: { getDependency: (t) => (t === 'storage' ? store : undefined), stateStore: memoryStore() },
  }) as unknown as Probe
  try {
    await p.initialize()
    expect(await p.depInfo('storage')).toBe('storage/mem')
    expect(await p.callDep('storage', 'put', 'k', { n: 1 })).toBe('stored k')
    expect(calls).toEqual([['k', { n: 1 }]])
  } finally {
    await p.cleanup()
  }
})

test('a module that fails to load in the isolate is a clear error naming the plugin and file', async () => {
  const { pluginDir } = await import('./__tests__/fixtures.js')
  const broken = pluginDir(
    `import { PepperpyPlugin } from '@pepperpy/plugin'\nthrow new Error('top-level failure')\nexport default class B extends PepperpyPlugin {}`,
  )
  try {
    const spec = (await import('./spec.js')).isolationSpecOf({ isolation: 'worker' }, broken.dir)
    const err = await h.isolation
      .describe({ type: 'test', provider: 'broken', dir: broken.dir, file: broken.file, spec, dependencies: [] })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'PLUGIN_INIT_FAILED', pluginId: 'test/broken' })
    expect((err as Error).message).toContain(`test/broken: its entry module ${broken.file} failed to load in the worker`)
    expect((err as Error).message).toContain('top-level failure')
    expect(h.isolation.running()).toEqual([])
  } finally {
    broken.remove()
  }
})
