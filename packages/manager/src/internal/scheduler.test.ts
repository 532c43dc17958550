import { describe, expect, it } from 'vitest'
import { runGraph } from './scheduler.js'

describe('runGraph', () => {
  it('starts each task once its own dependencies are done, and ignores a second report of a task', async () => {
    const started: string[] = []
    const result = await runGraph(
      [
        { id: 'a', after: [] },
        { id: 'b', after: ['a'] },
        { id: 'c', after: ['a', 'b'] },
      ],
      (id, done) => {
        started.push(id)
        queueMicrotask(() => {
          done()
          done({ error: new Error('late second report') }) // ignored
        })
      },
    )
    expect(started).toEqual(['a', 'b', 'c'])
    expect(result.completed).toEqual(['a', 'b', 'c'])
    expect(result.failed).toBeUndefined()
  })

  it('starts nothing new after the first failure and reports it', async () => {
    const started: string[] = []
    const result = await runGraph(
      [
        { id: 'a', after: [] },
        { id: 'b', after: ['a'] },
      ],
      (id, done) => {
        started.push(id)
        queueMicrotask(() => done({ error: new Error(`${id} failed`) }))
      },
    )
    expect(started).toEqual(['a'])
    expect(result.failed?.id).toBe('a')
  })
})
