import { packageProject } from '../../vitest.shared.js'

export default packageProject('example-acme-app', { testTimeout: 60_000 })
