// @pepperpy/plugin/spi: the ports and helpers for people wiring their own plugin system (a registry,
// a manager, a resource pool, a state store). Apps and plugin authors use the package root.
export { Deadlines } from './deadlines.js'
export type { Deadline, DeadlinesOptions } from './deadlines.js'
export { deadlinesFor, withLimit } from './internal/limits.js'
export { compareText, firstLine, messageOf, pluginIdOf } from './text.js'
export { channelTracer } from './channels.js'
export type { ChannelTracer } from './channels.js'
