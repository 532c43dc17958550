import type { PepperpyPlugin } from '@pepperpy/plugin'

/**
 * Initializes `plugin` and returns it ready for `await using` (cleanup when the scope ends).
 * @example
 * await using llm = await autoContext(await createProviderInstance('llm', 'echo'))
 */
export function autoContext<P extends PepperpyPlugin>(plugin: P): Promise<P & AsyncDisposable>
/**
 * Initializes `plugin`, runs `fn`, and always cleans up, returning what `fn` returned.
 * @example
 * const answer = await autoContext(llm, (l) => l.generate('hi'))
 */
export function autoContext<P extends PepperpyPlugin, R>(plugin: P, fn: (plugin: P) => R | Promise<R>): Promise<Awaited<R>>
export async function autoContext<P extends PepperpyPlugin, R>(
  plugin: P,
  fn?: (plugin: P) => R | Promise<R>,
): Promise<(P & AsyncDisposable) | Awaited<R>> {
  await plugin.initialize()
  if (!fn) return plugin
  let result: Awaited<R>
  try {
    result = await fn(plugin)
  } catch (error) {
    await plugin.cleanup().catch((cleanupError: unknown) => plugin.logger.error('cleanup after a failure failed', cleanupError))
    throw error
  }
  await plugin.cleanup()
  return result
}
