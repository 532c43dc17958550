import { fileURLToPath } from 'node:url'
import { ConfigError } from '@pepperpy/plugin'
import { createTestSystem } from '@pepperpy/testing'
import { expect, it } from 'vitest'
import type { AcmeTTS } from '../plugins/tts/acme/provider.ts'

// the package's own plugin root: plugin.yaml (schema, defaults) is tested together with the class
const plugins = fileURLToPath(new URL('../plugins', import.meta.url))

it('tts/acme speaks with the voice and speed it is configured with', async () => {
  const system = createTestSystem({ paths: [plugins], env: { PEPPERPY_TTS__ACME__VOICE: 'alto' } })
  const tts = await system.start<AcmeTTS>('tts', 'acme', { speed: 2 })
  expect(await tts.speak('hello there')).toBe('[alto x2] hello · there')
  await system.dispose()
})

it('tts/acme refuses a speed its schema does not allow, naming the key', async () => {
  const system = createTestSystem({ paths: [plugins] })
  const error = await system.start('tts', 'acme', { speed: 9 }).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ConfigError)
  expect((error as Error).message).toMatch(/speed/)
  await system.dispose()
})
