const camelCache = new Map<string, string>()

/** `api_key` -> `apiKey`; `model-name` -> `modelName`. */
export function camelCase(key: string): string {
  let camel = camelCache.get(key)
  if (camel === undefined) {
    camel = key.replace(/[_-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())
    if (camelCache.size < 10_000) camelCache.set(key, camel)
  }
  return camel
}

/** Keys that must never be copied from untrusted objects (`__proto__`, `constructor`, `prototype`). */
export function isUnsafeKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype'
}
