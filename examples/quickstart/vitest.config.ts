import { packageProject } from '../../vitest.shared.js'

export default packageProject('example-quickstart', { testTimeout: 60_000 })
