import type { JsonSchema } from './json-schema.js'

/** A dependency as written in plugin.yaml. */
export interface ManifestDependency {
  type: string
  provider?: string
  dependency_type?: 'required' | 'optional' | 'runtime' | 'enhances'
  version?: string
}

/** A plugin.yaml, as written: Python PepperPy's fields, PepperPy's own, and any unknown ones. */
export interface PluginManifest {
  name?: string
  version?: string
  description?: string
  author?: string
  license?: string
  /** `"<module>:<export>"`, relative to the manifest's folder; `:<export>` defaults to the default export. */
  entry_point: string
  type?: string
  provider?: string
  /** PepperPy's name for `type`. */
  plugin_type?: string
  /** PepperPy's name for `provider`. */
  provider_name?: string
  category?: string
  dependencies?: Array<ManifestDependency | string>
  config_schema?: JsonSchema
  default_config?: Record<string, unknown>
  required_config_keys?: string[]
  /** Semver range of compatible `@pepperpy` hosts. */
  pepperpy?: string
  /** PepperPy's name for `pepperpy`. */
  pepperpy_compatibility?: string
  min_framework_version?: string
  hot_reload?: boolean
  /** What a failing `initialize()` of this plugin does to a boot (overrides the system's `bootFailure`). */
  boot_failure?: 'abort' | 'continue'
  [field: string]: unknown
}

/** Fields the schema knows; a near miss of one of these gets a "did you mean" warning. */
export const knownManifestFields: readonly string[] = [
  'name',
  'version',
  'description',
  'author',
  'license',
  'entry_point',
  'type',
  'provider',
  'plugin_type',
  'provider_name',
  'category',
  'dependencies',
  'config_schema',
  'default_config',
  'required_config_keys',
  'pepperpy',
  'pepperpy_compatibility',
  'min_framework_version',
  'hot_reload',
  'boot_failure',
]

const idPart = '^[A-Za-z0-9][A-Za-z0-9_.-]*$'

/** JSON Schema (draft-07) of plugin.yaml; unknown fields are allowed and kept. */
export const pluginManifestSchema: JsonSchema = {
  $id: 'https://pepperpy.dev/schemas/plugin-manifest.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'PepperPy plugin manifest (plugin.yaml)',
  type: 'object',
  required: ['entry_point'],
  additionalProperties: true,
  properties: {
    name: { type: 'string', description: 'Human-readable plugin name.' },
    version: { type: 'string', description: 'Plugin version (semver).' },
    description: { type: 'string', description: 'One-line description.' },
    author: { type: 'string', description: 'Author or team.' },
    license: { type: 'string', description: 'SPDX license identifier.' },
    entry_point: {
      type: 'string',
      minLength: 1,
      description:
        '"<module>:<export>" relative to the manifest folder (.js .mjs .cjs .ts .mts); default export when ":<export>" is absent.',
    },
    type: {
      type: 'string',
      pattern: idPart,
      description: 'Plugin type, e.g. "llm". Defaults to the folder layout <root>/<type>/<provider>.',
    },
    provider: { type: 'string', pattern: idPart, description: 'Provider name, e.g. "openai". Defaults to the folder layout.' },
    plugin_type: { type: 'string', pattern: idPart, description: 'PepperPy spelling of "type".' },
    provider_name: { type: 'string', pattern: idPart, description: 'PepperPy spelling of "provider".' },
    category: { type: 'string', description: 'Free-form category (kept, not interpreted).' },
    dependencies: {
      type: 'array',
      description: 'Plugins this one depends on: {type, provider?, dependency_type?, version?} or "type/provider".',
      items: {
        anyOf: [
          {
            type: 'object',
            required: ['type'],
            additionalProperties: true,
            properties: {
              type: { type: 'string', pattern: idPart },
              provider: { type: 'string', pattern: idPart },
              dependency_type: { enum: ['required', 'optional', 'runtime', 'enhances'] },
              version: { type: 'string' },
            },
          },
          { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)?$' },
        ],
      },
    },
    config_schema: { type: 'object', description: 'JSON Schema of the plugin config; validated with ajv when an instance is created.' },
    default_config: { type: 'object', description: 'Config values used when neither call, alias nor environment gives one.' },
    required_config_keys: { type: 'array', items: { type: 'string' }, description: 'Keys that must have a value after merging.' },
    pepperpy: { type: 'string', description: 'Semver range of compatible @pepperpy hosts.' },
    pepperpy_compatibility: { type: 'string', description: 'PepperPy spelling of "pepperpy".' },
    min_framework_version: { type: 'string', description: 'Lowest compatible host version (PepperPy).' },
    hot_reload: { type: 'boolean', description: 'Swap live instances when the plugin folder changes.' },
    boot_failure: {
      enum: ['abort', 'continue'],
      description:
        "When this plugin's initialize() fails during a boot: abort the boot (roll back) or continue without it (its required dependents are skipped). Overrides the system's bootFailure option.",
    },
  },
}
