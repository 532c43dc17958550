import { firstHour } from './steps.js'

// issue 16: a new user with pnpm installs only @pepperpy/plugins (and the CLI): '@pepperpy/plugin' is not resolvable from the app
firstHour('pnpm', { resolvable: false, title: 'cannot import @pepperpy/plugin itself (what typed lookups through the umbrella are for)' })
