// Child process of the leader tests: a plugin system with a RedisLeaseProvider and one leader
// plugin (led again after a lost lease). While it leads, the plugin appends "<token> <pid> <action>" lines to a shared log every
// 20 ms; SIGTERM disposes the system (the lease is released).
import { appendFileSync } from 'node:fs'
import { PepperpyPlugin } from '@pepperpy/plugin'
import { createPluginSystem } from '@pepperpy/plugins'
import { RedisLeaseProvider } from '@pepperpy/redis'

const [url, log, ttl] = process.argv.slice(2)
const lease = new RedisLeaseProvider({ url: url!, ttlMs: Number(ttl) })
const system = createPluginSystem({
  lease,
  defaultPaths: false,
  initTimeoutMs: Number.POSITIVE_INFINITY,
  logger: { debug() {}, info() {}, warn() {}, error: console.error },
})

class Scheduler extends PepperpyPlugin {
  #timer: NodeJS.Timeout | undefined
  write(action: string): void {
    appendFileSync(log!, `${this.lease?.token} ${process.pid} ${action} ${Date.now()}\n`)
  }
  override async initialize(): Promise<void> {
    this.write('start')
    this.#timer = setInterval(() => this.write('tick'), 20)
  }
  override async cleanup(): Promise<void> {
    clearInterval(this.#timer)
    this.write('stop')
  }
}
system.registerPlugin('jobs', 'scheduler', Scheduler, { leader: true })
process.once('SIGTERM', () => {
  void system
    .dispose()
    .then(() => lease.close())
    .then(() => process.exit(0))
})
process.stdout.write('waiting\n')
const s = await system.createProviderInstance('jobs', 'scheduler')
// as an app would: after losing the lease (and being cleaned up), wait to lead again
const lead = async (): Promise<void> => {
  await s.initialize()
  process.stdout.write(`leading ${s.lease?.token}\n`)
  s.lease?.lost.addEventListener(
    'abort',
    () => {
      const again = setInterval(() => {
        if (s.initialized) return
        clearInterval(again)
        void lead()
      }, 20)
    },
    { once: true },
  )
}
await lead()
