import { expect, it } from 'vitest'
import { PepperpyPlugin } from './plugin.js'

it('await using disposes the plugin', async () => {
  class P extends PepperpyPlugin {}
  let seen: P | undefined
  {
    await using p = P.create()
    await p.initialize()
    seen = p
    expect(p.initialized).toBe(true)
  }
  expect(seen?.initialized).toBe(false)
})
