import { PepperpyPlugin, type InitializeOptions, type PluginClass } from '@pepperpy/plugin'
import { attachRunner, defineMethod, isolatedRunner } from './instances.js'
import { Runner } from './runner.js'
import type { IsolatedRunner, IsolationTarget, RunnerHost } from './types.js'

function runnerOf(plugin: object): IsolatedRunner {
  const runner = isolatedRunner(plugin)
  if (!runner) throw new TypeError('not an isolated plugin instance')
  return runner
}

/**
 * The host-side class of an isolated plugin: an ordinary PepperpyPlugin whose `initialize()`,
 * `cleanup()` and every method of the plugin's class run in its worker or child process.
 */
export function isolatedClass(target: IsolationTarget, host: RunnerHost): PluginClass {
  class Isolated extends PepperpyPlugin {
    static override dependencies = target.dependencies
    constructor(config?: Record<string, unknown>) {
      super(config)
      attachRunner(this, new Runner(this, target, host))
    }
    override async initialize(options?: InitializeOptions): Promise<void> {
      await runnerOf(this).initialize(options?.signal)
    }
    override async cleanup(): Promise<void> {
      await runnerOf(this).cleanup()
    }
    override get config(): Readonly<Record<string, unknown>> {
      return isolatedRunner(this)?.config ?? super.config
    }
  }
  Object.defineProperty(Isolated, 'name', { value: className(target.provider) })
  for (const method of target.methods) defineMethod(Isolated.prototype, method)
  return Isolated
}

function className(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_$]/g, '_')
  return `Isolated${clean.charAt(0).toUpperCase()}${clean.slice(1)}`
}
