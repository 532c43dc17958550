/** Where one config value came from, highest precedence first. */
export type ConfigSource = 'call' | 'alias' | 'env' | 'manifest' | 'schema' | 'class'

/** A merged config and the source of each key. */
export interface ResolvedConfig {
  config: Record<string, unknown>
  sources: Record<string, ConfigSource>
}
