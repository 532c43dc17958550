import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

// The fixtures in ./types are compiled by tsc as an app would: a `// @ts-expect-error` that is not an
// error fails the compile too, so each fixture checks both what is typed and what is refused.
const dir = (rel: string) => fileURLToPath(new URL(rel, import.meta.url))

function compile(files: string[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    dir('../tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  )
  if (!config) throw new Error('cannot read tsconfig.json')
  const program = ts.createProgram(files, { ...config.options, noEmit: true })
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file ? `${d.file.fileName.replace(dir('.'), '')}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    )
}

describe('typed lookups', () => {
  it('PluginProviders wins over PluginTypes, through the umbrella alone or the contract', { timeout: 120_000 }, () => {
    expect(compile([dir('types/umbrella-augment.ts'), dir('types/contract-augment.ts')])).toEqual([])
  })
})
