import { DependencyError, PepperpyPlugin, silentLogger } from '@pepperpy/plugin'
import { instantiatePlugin } from '@pepperpy/plugin/spi'
import { currentScope } from './scope.js'

/** One recorded call of a mock's method. */
export interface MockCall {
  method: string
  args: unknown[]
}

/** A plugin built by {@link mockPlugin}: the given methods (recording), plus `calls`. */
export type MockedPlugin<T extends object = Record<string, unknown>> = PepperpyPlugin & T & { readonly calls: MockCall[] }

/** Options of {@link mockPlugin}. */
export interface MockPluginOptions {
  /** The `type/provider` it reports (set by `createTestSystem` when used in `mocks`). @default 'mock/mock' */
  id?: string
}

// keys that test runners, `await` and inspectors probe on any object: never an error
const PROBED = new Set(['then', 'toJSON', 'asymmetricMatch', '$$typeof', 'nodeType', 'tagName', '@@__IMMUTABLE_ITERABLE__@@', 'inspect'])
const ids = new WeakMap<object, { type: string; provider: string }>()
const mocks = new WeakSet<object>()
const targets = new WeakMap<object, object>()

/** Base class of mocks: a plain plugin whose reported id can be set when it is used in `mocks`. */
class MockPlugin extends PepperpyPlugin {
  override get pluginType(): string {
    return ids.get(this)?.type ?? super.pluginType
  }
  override get provider(): string {
    return ids.get(this)?.provider ?? super.provider
  }
  override get pluginId(): string {
    return `${this.pluginType}/${this.provider}`
  }
}

/**
 * Builds a plugin whose methods are `methods`' (called with the plugin as `this`) and record each call
 * in `calls`. Reading a method the mock does not have throws a DependencyError naming the method,
 * the mock and the plugin that asked.
 * @param methods the methods and values the mock offers
 * @returns the mock plugin (not initialized; a test system initializes it as a dependency)
 * @example
 * const embeddings = mockPlugin({ embed: async (text: string) => [text.length] })
 * await embeddings.embed('hi')
 * embeddings.calls // [{ method: 'embed', args: ['hi'] }]
 */
export function mockPlugin<T extends object>(methods: T, options: MockPluginOptions = {}): MockedPlugin<T> {
  const [type = 'mock', provider = 'mock'] = (options.id ?? 'mock/mock').split('/')
  const target = instantiatePlugin(MockPlugin, { type, provider, logger: silentLogger })
  const calls: MockCall[] = []
  Object.defineProperty(target, 'calls', { value: calls, enumerable: false })
  const impl = methods as Record<string | symbol, unknown>
  const wrappers = new Map<string | symbol, unknown>()
  const proxy: MockedPlugin<T> = new Proxy(target, {
    get(t, key, receiver) {
      if (key in t) return Reflect.get(t, key, receiver)
      if (key in impl) return recorded(key)
      if (typeof key === 'symbol' || PROBED.has(key)) return undefined
      throw missing(proxy as MockedPlugin, key, impl)
    },
    has: (t, key) => key in t || key in impl,
    set(t, key, value, receiver) {
      if (!(key in t) && key in impl) {
        impl[key] = value
        wrappers.delete(key)
        return true
      }
      return Reflect.set(t, key, value, receiver)
    },
  }) as MockedPlugin<T>
  function recorded(key: string | symbol): unknown {
    const value = impl[key]
    if (typeof value !== 'function') return value
    let wrapper = wrappers.get(key)
    if (!wrapper) {
      wrapper = function (this: unknown, ...args: unknown[]): unknown {
        calls.push({ method: String(key), args })
        return (impl[key] as (...a: unknown[]) => unknown).apply(proxy, args)
      }
      wrappers.set(key, wrapper)
    }
    return wrapper
  }
  ids.set(target, { type, provider })
  ids.set(proxy, { type, provider })
  targets.set(proxy, target)
  mocks.add(proxy)
  return proxy
}

/** True for a plugin built by {@link mockPlugin}. */
export function isMockPlugin(value: unknown): value is MockedPlugin {
  return typeof value === 'object' && value !== null && mocks.has(value)
}

/** Makes a mock report `id` as its `type/provider` (used by `createTestSystem` for `mocks` entries). */
export function setMockId(mock: MockedPlugin, id: string): void {
  const slash = id.indexOf('/')
  const value = { type: id.slice(0, slash), provider: id.slice(slash + 1) }
  ids.set(mock, value)
  const target = targets.get(mock)
  if (target) ids.set(target, value)
}

function missing(mock: MockedPlugin, key: string, impl: object): DependencyError {
  const id = mock.pluginId
  const caller = currentScope()
  const by = caller ? ` (called by ${caller.plugin} in ${caller.method}())` : ''
  const has = Object.keys(impl).filter((k) => typeof (impl as Record<string, unknown>)[k] === 'function')
  return new DependencyError(
    `mock ${id} has no method "${key}"${by}; it has: ${has.length > 0 ? has.join(', ') : 'no methods'}. Add "${key}" to the mock of ${id}.`,
    { pluginId: id, chain: caller ? [caller.plugin, id] : [id] },
  )
}
