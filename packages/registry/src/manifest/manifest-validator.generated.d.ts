// Types of the generated manifest-validator.generated.js (ajv standalone code; see validator-source.ts).
import type { Validate } from '../config/validator.js'

/** JSON.stringify of the schema the validator was generated from. */
export declare const SCHEMA_JSON: string
/** The standalone validator of that schema. */
export declare const validate: Validate
export default validate
