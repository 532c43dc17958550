/** Writes src/manifest/manifest-validator.generated.js (ajv standalone code of the manifest schema). */
import { writeFileSync } from 'node:fs'
import { manifestValidatorSource } from '../src/manifest/validator-source.js'

const file = new URL('../src/manifest/manifest-validator.generated.js', import.meta.url)
writeFileSync(file, manifestValidatorSource())
console.log(`wrote ${file.pathname}`)
