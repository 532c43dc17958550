import { silentLogger } from '@pepperpy/plugin'
import { describe, expect, it } from 'vitest'
import { createReloadEvents } from './reload-events.js'

describe('reload events', () => {
  it('on() returns a function that removes the listener, like manager.on()', () => {
    const events = createReloadEvents(silentLogger)
    const seen: string[] = []
    const off = events.on('reload', (e) => seen.push(e.pluginId))
    const offError = events.on('error', (e) => seen.push(e.error.message))
    events.reload('llm/a')
    events.error(new Error('boom'))
    off()
    offError()
    events.reload('llm/b')
    events.error(new Error('again'))
    expect(seen).toEqual(['llm/a', 'boom'])
  })
})
