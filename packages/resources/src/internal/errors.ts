import { describeError, ResourceError } from '@pepperpy/plugin'

/** How a holder is named in messages: its pluginId when it is a plugin. */
export function describeHolder(holder: object): string {
  const id = (holder as { pluginId?: unknown }).pluginId
  return typeof id === 'string' ? `plugin "${id}"` : 'holder'
}

/** Throws nothing for no errors, the error itself for one, a ResourceError whose cause is an AggregateError for several. */
export function throwCollected(errors: unknown[], summary: string): void {
  if (errors.length === 0) return
  if (errors.length === 1) throw errors[0]
  throw new ResourceError(`${summary}: ${errors.map(describeError).join('; ')}`, {
    cause: new AggregateError(errors, summary),
  })
}
