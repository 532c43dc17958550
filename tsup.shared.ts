import type { Options } from 'tsup'

/** The one tsup config every package uses: ESM, declarations, sourcemaps, Node 20. */
export function packageBuild(entry: string[] = ['src/index.ts'], extra: Options = {}): Options {
  return {
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    ...extra,
  }
}
