import { fileURLToPath } from 'node:url'
import { packageProject } from '../../vitest.shared.js'

// builds and packs every published package once (global-setup.ts), then installs the tarballs into fresh apps
const project = packageProject('new-user', { include: ['*.test.ts'], testTimeout: 300_000 })
project.test = { ...project.test, globalSetup: [fileURLToPath(new URL('./global-setup.ts', import.meta.url))], hookTimeout: 300_000 }
export default project
