import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Deadlines } from './deadlines.js'

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

describe('Deadlines (one timer for many deadlines of one length)', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('fires under fake timers that leave performance.now() real', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const d = new Deadlines(1000)
    const fired: string[] = []
    d.add(() => fired.push('a'))
    d.add(() => fired.push('b'))
    await vi.advanceTimersByTimeAsync(999)
    expect(fired).toEqual([])
    await vi.advanceTimersByTimeAsync(10)
    expect(fired).toEqual(['a', 'b'])
  })

  it('fires each live deadline once, in order, after its own delay', async () => {
    const d = new Deadlines(200)
    const fired: string[] = []
    const t0 = performance.now()
    const at: number[] = []
    d.add(() => (fired.push('a'), at.push(performance.now() - t0)))
    const b = d.add(() => fired.push('b'))
    await sleep(100)
    d.add(() => (fired.push('c'), at.push(performance.now() - t0)))
    expect(b.cancel()).toBe(true)
    await sleep(150) // ~250 ms: a (due at 200) fired, c (due at ~300) not yet
    expect(fired).toEqual(['a'])
    await sleep(200)
    expect(fired).toEqual(['a', 'c'])
    expect(at[0]).toBeGreaterThanOrEqual(199)
    expect(at[1]).toBeGreaterThanOrEqual(299)
  })

  it('cancel() after firing returns false; firing after cancel never happens', async () => {
    const d = new Deadlines(5)
    let n = 0
    const x = d.add(() => n++)
    await sleep(30)
    expect(n).toBe(1)
    expect(x.cancel()).toBe(false)
    const y = d.add(() => n++)
    expect(y.cancel()).toBe(true)
    expect(y.cancel()).toBe(false)
    await sleep(30)
    expect(n).toBe(1)
  })

  it('holds no timer once every deadline is cancelled (a finished boot does not keep the process alive)', () => {
    const before = timers()
    const d = new Deadlines(60_000)
    const all = Array.from({ length: 1000 }, () => d.add(() => {}))
    expect(timers()).toBe(before + 1)
    for (const x of all) x.cancel()
    expect(timers()).toBe(before)
  })

  it('a deadline added by a firing one does not delay the earlier deadlines still waiting', async () => {
    const d = new Deadlines(300)
    const order: string[] = []
    d.add(() => {
      order.push('x')
      d.add(() => order.push('z')) // due 300 ms after x fired
    })
    await sleep(100)
    d.add(() => order.push('e')) // due ~200 ms after x
    // a plain timer due well after e and before z: timers fire in the order they are due
    await new Promise<void>((resolve) => setTimeout(() => (order.push('marker'), resolve()), 350))
    await sleep(300)
    expect(order).toEqual(['x', 'e', 'marker', 'z'])
  })

  it('passes its argument to fire, and a queue of cancelled deadlines stays small while others are live', async () => {
    vi.useFakeTimers()
    const d = new Deadlines(100)
    const got: number[] = []
    const keep = d.add((n: number) => got.push(n), 1)
    // a pool under load: deadlines added and cancelled FIFO while one stays live
    for (let i = 0; i < 100_000; i++) d.add((n: number) => got.push(n), i).cancel()
    expect(d.pending).toBe(1)
    await vi.advanceTimersByTimeAsync(100)
    expect(got).toEqual([1])
    expect(keep.cancel()).toBe(false)
    expect(d.pending).toBe(0)
  })
})
