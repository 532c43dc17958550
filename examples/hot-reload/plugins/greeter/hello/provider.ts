import { PepperpyPlugin } from '@pepperpy/plugin'

/** Version 1 of the greeter. `calls` is state: it is carried over to the new code on reload. */
export class Greeter extends PepperpyPlugin {
  calls = 0

  async greet(name: string): Promise<string> {
    this.calls += 1
    return `Hello, ${name} (v1, call ${this.calls})`
  }
}
