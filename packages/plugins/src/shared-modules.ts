// The modules plugin code gets from the host instead of loading its own copies.
import * as extensionsModule from '@pepperpy/extensions'
import * as managerModule from '@pepperpy/manager'
import * as registryModule from '@pepperpy/registry'
import * as resourcesModule from '@pepperpy/resources'

let umbrella: Readonly<Record<string, unknown>> | undefined

/**
 * Makes `api` the module plugin code gets for `@pepperpy/plugins`; called once by the package entry.
 * @param api - the namespace of the umbrella's public API
 */
export function shareUmbrella(api: Readonly<Record<string, unknown>>): void {
  umbrella = api
}

/**
 * The host's copies of the packages, by name, for a registry's `sharedModules` (`@pepperpy/plugin`
 * is always shared by the loader itself), so `instanceof`, mixins and singletons hold in plugin code.
 */
export function sharedModules(): Record<string, unknown> {
  return {
    '@pepperpy/registry': registryModule,
    '@pepperpy/manager': managerModule,
    '@pepperpy/resources': resourcesModule,
    '@pepperpy/extensions': extensionsModule,
    ...(umbrella ? { '@pepperpy/plugins': umbrella } : {}),
  }
}
