// Child process for the crash test: saves an increasing counter as fast as it can and prints each
// value once its save has completed. The parent kills it with SIGKILL at a random moment.
import { FileStateStore } from '../persistence/file-state-store.js'

const store = new FileStateStore({ dir: process.argv[2]! })
let n = 0
for (;;) {
  n++
  await store.save('crash/test', { version: 1, data: { n, payload: 'x'.repeat(2000 + (n % 7) * 500) } })
  process.stdout.write(`${n}\n`)
}
