import { describe, expect, it } from 'vitest'
import { Queue } from './queue.js'

describe('Queue', () => {
  it('is FIFO across compactions of its head', () => {
    const q = new Queue<number>()
    const out: number[] = []
    for (let i = 0; i < 5000; i++) {
      q.push(i)
      if (i % 3 === 0) out.push(q.shift() as number)
    }
    expect(q.length).toBe(5000 - out.length)
    expect(q.peek()).toBe(out.length)
    while (q.length > 0) out.push(q.shift() as number)
    expect(out).toEqual(Array.from({ length: 5000 }, (_, i) => i))
    expect(q.shift()).toBeUndefined()
  })

  it('drain returns what is queued, front first, and empties it', () => {
    const q = new Queue<string>()
    q.push('a')
    q.push('b')
    q.push('c')
    q.shift()
    expect(q.drain()).toEqual(['b', 'c'])
    expect(q.length).toBe(0)
  })
})
