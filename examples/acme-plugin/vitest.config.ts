import { packageProject } from '../../vitest.shared.js'

export default packageProject('example-acme-plugin', { testTimeout: 60_000 })
