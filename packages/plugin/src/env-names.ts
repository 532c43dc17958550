// The environment variable names of a config key (decision 3: only a plugin's own keys, by its own
// names), one rule for the registry and for isolated plugins' runtimes.

const snakes = new Map<string, string>()

/** `apiKey` / `api-key` / `api_key` -> `API_KEY` (remembered: the same few names recur on every registration and resolve). */
export function upperSnake(name: string): string {
  let snake = snakes.get(name)
  if (snake === undefined) {
    snake = name
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toUpperCase()
    if (snakes.size < 10_000) snakes.set(name, snake)
  }
  return snake
}

/**
 * Environment variable names for config `key` of `type/provider`, highest precedence first:
 * `PEPPERPY_<TYPE>__<PROVIDER>__<KEY>`, `PEPPERPY_<TYPE>__<KEY>`, and for api keys `<PROVIDER>_API_KEY`.
 * @example
 * envNames('llm', 'openai', 'apiKey') // ['PEPPERPY_LLM__OPENAI__API_KEY', 'PEPPERPY_LLM__API_KEY', 'OPENAI_API_KEY']
 */
export function envNames(type: string, provider: string, key: string): string[] {
  const T = upperSnake(type)
  const P = upperSnake(provider)
  const K = upperSnake(key)
  const names = [`PEPPERPY_${T}__${P}__${K}`, `PEPPERPY_${T}__${K}`]
  if (K === 'API_KEY') names.push(`${P}_API_KEY`)
  return names
}
