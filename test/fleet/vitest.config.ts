import { fileURLToPath } from 'node:url'
import { packageProject } from '../../vitest.shared.js'

const project = packageProject('fleet', { include: ['*.test.ts'], testTimeout: 120_000 })
// test/ is not a workspace package, so @pepperpy/* are mapped to their TypeScript sources here
const src = (name: string) => fileURLToPath(new URL(`../../packages/${name}/src/index.ts`, import.meta.url))
project.resolve = {
  ...project.resolve,
  alias: ['plugins', 'plugin', 'registry', 'manager', 'resources', 'extensions', 'redis'].map((name) => ({
    find: new RegExp(`^@pepperpy/${name}$`),
    replacement: src(name),
  })),
}
export default project
