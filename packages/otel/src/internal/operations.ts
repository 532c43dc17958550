import { channels, type ChannelName } from '@pepperpy/plugin'

/** A traced operation: its channel, span name and the `pepperpy.operation` attribute value. */
export interface Operation {
  channel: ChannelName
  /** `initialize`, `state.load`, ... */
  name: string
  /** Synchronous channels end at `end`; the others at `asyncEnd`. */
  sync: boolean
}

/** Every channel of the contract as an operation. */
export const operations: readonly Operation[] = Object.values(channels).map((channel) => ({
  channel,
  name: channel.slice('pepperpy:'.length).replace(':', '.'),
  sync: channel === channels.discover,
}))

/** Attribute names of the spans and the histogram. */
export const attr = {
  id: 'pepperpy.plugin.id',
  type: 'pepperpy.plugin.type',
  provider: 'pepperpy.plugin.provider',
  file: 'pepperpy.plugin.file',
  operation: 'pepperpy.operation',
  stateKey: 'pepperpy.state.key',
  method: 'pepperpy.call.method',
  errorType: 'error.type',
} as const

/** Span attributes of a channel's context object (the fields that are set). */
export function attributesOf(ctx: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  const put = (name: string, value: unknown): void => {
    if (typeof value === 'string' && value !== '') out[name] = value
  }
  put(attr.id, ctx['pluginId'])
  put(attr.type, ctx['type'])
  put(attr.provider, ctx['provider'])
  put(attr.file, ctx['file'])
  put(attr.stateKey, ctx['key'])
  put(attr.method, ctx['method'])
  return out
}
