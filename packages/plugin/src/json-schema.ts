/** A JSON Schema object (draft 2020-12 / draft-07 subset understood by ajv). */
export type JsonSchema = { [key: string]: unknown }
