const LIFECYCLE = new Set(['constructor', 'initialize', 'cleanup', 'getDependency', 'toJSON'])

/**
 * The names of the methods `target` offers beyond PepperpyPlugin's own (prototype chain up to
 * `base`, then own function-valued properties): what an isolated plugin exposes to the host.
 */
export function methodsOf(target: object, base: object): string[] {
  const names = new Set<string>()
  for (let o: object | null = target; o && o !== base && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertyNames(o)) {
      if (LIFECYCLE.has(key) || key.startsWith('_')) continue
      const d = Object.getOwnPropertyDescriptor(o, key)
      if (d && typeof d.value === 'function') names.add(key)
    }
  }
  return [...names].sort()
}
