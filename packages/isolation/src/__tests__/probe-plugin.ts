/** Source of a plugin that can misbehave on request; written to a temporary folder by the tests. */
export const PROBE_PLUGIN = `
import { readFileSync, writeFileSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { execFileSync } from 'node:child_process'
import { PepperpyPlugin } from '@pepperpy/plugin'
import { persistentPlugin } from '@pepperpy/extensions'

class Probe extends PepperpyPlugin {
  counter = 0
  greeting = 'hello'
  loopInInit = false
  exitInInit = false
  exitInCleanup = false
  async initialize() {
    if (this.loopInInit) for (;;) {}
    if (this.exitInInit) process.exit(9)
    this.logger.info('probe up', { counter: this.counter })
  }
  async cleanup() {
    if (this.exitInCleanup) process.exit(5)
  }
  async echo(value: unknown) { return value }
  async where() { return { pid: process.pid, isMainThread: (await import('node:worker_threads')).isMainThread } }
  async greet(name: string) { return this.greeting + ' ' + name }
  async bump() { this.counter += 1; return this.counter }
  async loop() { for (;;) {} }
  async exit(code: number) { process.exit(code) }
  async crashLater() { setTimeout(() => { throw new Error('boom later') }, 5); return new Promise(() => {}) }
  async rejectLater() { void Promise.reject(new Error('nobody caught me')); return new Promise(() => {}) }
  async oom() { const keep: unknown[] = []; for (;;) keep.push(new Array(100000).fill(keep.length)) }
  async hang() { return new Promise(() => {}) }
  async fail() { throw Object.assign(new TypeError('plugin says no'), { code: 'E_PROBE', detail: 42 }) }
  async read(path: string) {
    try { return readFileSync(path, 'utf8') } catch (cause) { throw new Error('probe could not read ' + path, { cause }) }
  }
  async write(path: string, text: string) {
    try { writeFileSync(path, text); return true } catch (cause) { throw new Error('probe could not write ' + path, { cause }) }
  }
  async spawnWorker() {
    try { const w = new Worker('1', { eval: true, execArgv: [] }); await w.terminate(); return 'spawned' } catch (cause) { throw new Error('probe could not start a worker', { cause }) }
  }
  async spawnChild() {
    try { return execFileSync(process.execPath, ['-e', 'process.stdout.write("child")']).toString() } catch (cause) { throw new Error('probe could not start a child process', { cause }) }
  }
  async uncloneable() { return { fn() {} } }
  async callDep(type: string, method: string, ...args: unknown[]) {
    const dep = this.getDependency<Record<string, (...a: unknown[]) => Promise<unknown>>>(type)
    if (!dep) throw new Error('no dependency ' + type)
    return dep[method](...args)
  }
  async depInfo(type: string) {
    const dep = this.getDependency<{ pluginId: string }>(type)
    return dep ? dep.pluginId : undefined
  }
  async log(level: 'debug' | 'info' | 'warn' | 'error', message: string) { this.logger[level](message) }
}

export default persistentPlugin(Probe, { fields: ['counter'] })
`
