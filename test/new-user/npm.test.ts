import { firstHour } from './steps.js'

// issue 16: the same first hour with npm, which hoists @pepperpy/plugin into the app's node_modules
firstHour('npm', { resolvable: true, title: 'hoists @pepperpy/plugin (one copy, from the tarball)' })
