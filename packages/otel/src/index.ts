export { INSTRUMENTATION_NAME, instrumentPepperpy } from './instrument.js'
export type { InstrumentPepperpyOptions, PepperpyInstrumentation } from './instrument.js'
