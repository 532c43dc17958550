import { packageProject } from '../../vitest.shared.js'

export default packageProject('isolation', { testTimeout: 60_000 })
