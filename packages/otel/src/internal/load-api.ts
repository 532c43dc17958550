import { createRequire } from 'node:module'
import { PepperpyError } from '@pepperpy/plugin'

/** The `@opentelemetry/api` module (an optional peer dependency, loaded when instrumentation starts). */
export type OtelApi = typeof import('@opentelemetry/api')

let api: OtelApi | undefined

/**
 * Loads `@opentelemetry/api` from the app's dependencies. Its providers live on a global, so the
 * copy loaded here sees the ones the app registered, whichever module format it imported.
 * @throws PepperpyError saying what to install when it is missing
 */
export function loadApi(): OtelApi {
  if (api) return api
  try {
    api = createRequire(import.meta.url)('@opentelemetry/api') as OtelApi
  } catch (error) {
    throw new PepperpyError(
      '@pepperpy/otel needs @opentelemetry/api (a peer dependency): install it with `pnpm add @opentelemetry/api` (or npm i)',
      { cause: error },
    )
  }
  return api
}
