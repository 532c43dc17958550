import { packageProject } from '../../vitest.shared.js'

export default packageProject('docs', { include: ['*.test.ts'] })
