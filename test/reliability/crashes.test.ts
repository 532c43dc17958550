// Issue #9 — crashes: state saved through a plugin system survives SIGKILL at any moment, and a full disk.
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { flushState, MemoryStateStore, PepperpyPlugin, persistentPlugin, type StateStore } from '@pepperpy/plugins'
import { capture, cleanupAll, SOAK, system, temp } from './helpers.js'

afterEach(cleanupAll)

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const script = fileURLToPath(new URL('./fixtures/persist-loop.ts', import.meta.url))
const tsx = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href

class Counter extends PepperpyPlugin {
  n = 0
  payload = ''
}

describe('crashes', () => {
  const rounds = SOAK ? 200 : 20
  it(
    `state written by a persistent plugin always parses and holds a saved value when its process is SIGKILLed (${rounds} rounds)`,
    async () => {
      const dir = join(temp(), 'state')
      let previous = 0
      for (let round = 0; round < rounds; round++) {
        const child = spawn(process.execPath, ['--conditions=@pepperpy/source', '--import', tsx, script, dir], {
          stdio: ['ignore', 'pipe', 'pipe'],
        })
        let out = ''
        let err = ''
        child.stdout.on('data', (c: Buffer) => (out += c))
        child.stderr.on('data', (c: Buffer) => (err += c))
        const exited = new Promise((r) => child.once('exit', r))
        // wait for the first completed save, then kill at a random moment
        await Promise.race([new Promise<void>((resolve) => child.stdout.on('data', () => /\n\d+\n/.test(out) && resolve())), exited])
        await sleep(Math.random() * 50)
        child.kill('SIGKILL')
        await exited
        const lines = out.trim().split('\n')
        expect(lines[0], err).toMatch(/^loaded \d+$/)
        const loaded = Number(lines[0]!.split(' ')[1])
        expect(loaded).toBeGreaterThanOrEqual(previous) // the last good state of the previous round was loaded
        const done = lines.slice(1).map(Number)
        const lastDone = done.at(-1) ?? loaded
        const saved = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))!), 'utf8')) as {
          version: number
          data: { n: number; payload: string }
        }
        expect(saved.version).toBe(1)
        expect(saved.data.n).toBeGreaterThanOrEqual(lastDone)
        expect(saved.data.n).toBeLessThanOrEqual(lastDone + 1) // at most the save in flight when killed
        expect(saved.data.payload).toBe('x'.repeat(1000 + (saved.data.n % 9) * 700))
        previous = saved.data.n
      }
      // a new system on the same folder loads the last value and sweeps the dead writers' temp files
      const s = system({ stateDir: dir, stateStore: undefined as never })
      s.registerPlugin('stats', 'counter', persistentPlugin(Counter))
      const c = (await s.createProviderInstance('stats', 'counter')) as Counter
      await c.initialize()
      expect(c.n).toBe(previous)
      c.n++
      await c.cleanup()
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
      expect(readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toEqual([])
    },
    SOAK ? 900_000 : 120_000,
  )

  it('state files are created 0600 in a folder 0700, through the system', async () => {
    const dir = join(temp(), 'nested', 'state')
    const s = system({ stateDir: dir, stateStore: undefined as never })
    s.registerPlugin('stats', 'counter', persistentPlugin(Counter))
    const c = (await s.createProviderInstance('stats', 'counter')) as Counter
    await c.initialize()
    c.n = 5
    await c.cleanup()
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    const files = readdirSync(dir)
    expect(files).toHaveLength(1)
    expect(statSync(join(dir, files[0]!)).mode & 0o777).toBe(0o600)
  })

  it('a full disk (save throws ENOSPC) keeps the last good state, logs why, and never breaks the plugin', async () => {
    const memory = new MemoryStateStore()
    let full = false
    let refused = 0
    const store: StateStore = {
      load: (k) => memory.load(k),
      delete: (k) => memory.delete(k),
      save: async (k, state) => {
        if (full) {
          refused++
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
        }
        return memory.save(k, state)
      },
    }
    const log = capture()
    const s = system({ stateStore: store, logger: log })
    s.registerPlugin('stats', 'counter', persistentPlugin(Counter, { debounceMs: 0, pollMs: 5 }))
    const c = (await s.createProviderInstance('stats', 'counter')) as Counter
    await c.initialize()
    c.n = 1
    await flushState(c)
    full = true
    c.n = 2
    await flushState(c)
    c.n = 3
    await c.cleanup() // the save on cleanup fails too: reported, not thrown
    expect(refused).toBeGreaterThan(0)
    expect(log.text()).toMatch(/ENOSPC/)
    expect(log.text()).toContain('stats/counter')
    expect((await memory.load('stats/counter'))?.data['n']).toBe(1)
    // the next run starts from the last good state, and saves again once there is space
    full = false
    const s2 = system({ stateStore: store })
    s2.registerPlugin('stats', 'counter', persistentPlugin(Counter))
    const c2 = (await s2.createProviderInstance('stats', 'counter')) as Counter
    await c2.initialize()
    expect(c2.n).toBe(1)
    c2.n = 10
    await c2.cleanup()
    expect((await memory.load('stats/counter'))?.data['n']).toBe(10)
  })
})
