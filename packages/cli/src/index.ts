export { runCli } from './main.js'
export { scaffold } from './commands/new.js'
export type { CliIO } from './output.js'
