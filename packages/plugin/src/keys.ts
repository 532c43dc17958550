/** `api_key` -> `apiKey`; `model-name` -> `modelName`. */
export function camelCase(key: string): string {
  return key.replace(/[_-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())
}

/** Keys that must never be copied from untrusted objects (`__proto__`, `constructor`, `prototype`). */
export function isUnsafeKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype'
}
