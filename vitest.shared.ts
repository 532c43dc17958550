import { defineProject } from 'vitest/config'

/** Per-package vitest project: resolves workspace packages to their TypeScript sources. */
export function packageProject(name: string, extra: { testTimeout?: number; setupFiles?: string[]; include?: string[] } = {}) {
  return defineProject({
    resolve: { conditions: ['@pepperpy/source', 'import', 'default'] },
    ssr: { resolve: { conditions: ['@pepperpy/source', 'import', 'default'] } },
    test: {
      name,
      include: extra.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: extra.testTimeout ?? 20_000,
      ...(extra.setupFiles ? { setupFiles: extra.setupFiles } : {}),
    },
  })
}
