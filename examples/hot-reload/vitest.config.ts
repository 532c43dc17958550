import { packageProject } from '../../vitest.shared.js'

export default packageProject('example-hot-reload', { testTimeout: 60_000 })
