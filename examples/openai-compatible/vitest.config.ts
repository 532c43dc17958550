import { packageProject } from '../../vitest.shared.js'

export default packageProject('example-openai-compatible', { testTimeout: 60_000 })
