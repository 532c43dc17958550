import { PepperpyError } from '@pepperpy/plugin'

/** `[type, provider]` of a `'type/provider'` key of the test system's options. */
export function splitId(id: string, option: string): [string, string] {
  const slash = id.indexOf('/')
  if (slash <= 0 || slash === id.length - 1 || id.indexOf('/', slash + 1) >= 0)
    throw new PepperpyError(`createTestSystem: ${option} key "${id}" must be "type/provider" (e.g. "embeddings/fake")`)
  return [id.slice(0, slash), id.slice(slash + 1)]
}
