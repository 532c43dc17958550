/**
 * discovery-1000: cold discovery of 1,000 manifests on disk (<root>/<type>/<provider>/plugin.yaml,
 * ~1 KB each) with a fresh PluginRegistry per sample, against reading the same files raw and
 * against Python (os.listdir + yaml.safe_load, timed inside python). "Cold" means no manifest text
 * was seen before by this process: before each sample every file gets a new first line (a comment),
 * so the registry's per-process parse memo (keyed by content) cannot answer. discovery-1000-warm is
 * the same tree unchanged (a second discovery in one process), discovery-88-real PepperPy's 88 real
 * manifests, cold and warm.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { PluginRegistry } from '@pepperpy/plugins'
import { stats, type BenchCase } from '../harness.js'
import { r, silent, tempDir } from './util.js'

const TYPES = ['llm', 'embeddings', 'rag', 'storage', 'tools', 'agents', 'vision', 'audio', 'search', 'memory']

function manifest(type: string, provider: string, i: number): string {
  return `name: ${provider}
version: 1.${i % 10}.0
description: >
  ${provider} ${type} provider for PepperPy. Talks to the ${provider} service over HTTPS, retries
  with exponential backoff and streams partial results when the service supports it.
author: PepperPy Team <team@pepperpy.ai>
license: MIT
type: ${type}
provider: ${provider}
entry_point: provider.ts:Provider
pepperpy: ">=0.1.0"
hot_reload: false
dependencies:
  - type: ${TYPES[(i + 1) % TYPES.length]}
    provider: p${(i + 7) % 100}
    dependency_type: optional
    version: ">=1.0.0"
config_schema:
  type: object
  properties:
    api_key:
      type: string
      description: API key (or ${provider.toUpperCase()}_API_KEY)
    model:
      type: string
      default: ${provider}-model-${i % 4}
    temperature:
      type: number
      minimum: 0
      maximum: 2
      default: 0.7
    max_tokens:
      type: integer
      minimum: 1
      default: 1024
    timeout_ms:
      type: integer
      default: 30000
  required: [model]
default_config:
  model: ${provider}-model-${i % 4}
  temperature: 0.7
  max_tokens: 1024
required_config_keys: []
documentation:
  usage: "createProviderInstance('${type}', '${provider}', { model: '...' })"
  homepage: https://example.com/${type}/${provider}
tags: [${type}, ${provider}, remote, streaming]
`
}

const PYTHON = `
import os, sys, time, yaml
root = sys.argv[1]
runs = int(sys.argv[2])
out = []
for _ in range(runs):
    t0 = time.perf_counter()
    found = []
    for t in sorted(os.listdir(root)):
        td = os.path.join(root, t)
        for p in sorted(os.listdir(td)):
            f = os.path.join(td, p, 'plugin.yaml')
            if os.path.exists(f):
                with open(f) as fh:
                    found.append(yaml.safe_load(fh))
    out.append((time.perf_counter() - t0) * 1000)
    assert len(found) > 0
print(' '.join(str(x) for x in out))
`

const FIXTURES = resolve(import.meta.dirname, '../../../test/fixtures/pepperpy-manifests')

/** PepperPy's 88 real manifests (the vendored fixtures), cold (new text each sample) and warm. */
async function realManifests(smoke: boolean) {
  const tmp = tempDir('discovery-real')
  try {
    cpSync(FIXTURES, tmp.path, { recursive: true })
    const files: string[] = []
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name)
        if (statSync(p).isDirectory()) walk(p)
        else if (name === 'plugin.yaml') files.push(p)
      }
    }
    walk(tmp.path)
    const texts = files.map((f) => readFileSync(f, 'utf8'))
    const discoverOnce = async (): Promise<void> => {
      const registry = new PluginRegistry({
        defaultPaths: false,
        paths: [join(tmp.path, 'plugins'), join(tmp.path, 'assets', 'templates')],
        logger: silent,
      })
      await registry.discover()
    }
    const cold: number[] = []
    const warm: number[] = []
    for (let i = 0; i < (smoke ? 2 : 23); i++) {
      for (const [j, f] of files.entries()) writeFileSync(f, `# sample ${i}\n${texts[j]}`)
      let t0 = performance.now()
      await discoverOnce()
      const c = performance.now() - t0
      t0 = performance.now()
      await discoverOnce()
      if (i >= (smoke ? 1 : 3)) cold.push(c), warm.push(performance.now() - t0)
    }
    const a = stats(cold)
    const w = stats(warm)
    return {
      id: 'discovery-88-real',
      what: "PepperPy's 88 real plugin.yaml files: cold discovery (new text each sample) vs the same discovered again (warm)",
      ours: a.median,
      peer: 'warm (memo)',
      peerValue: w.median,
      ratio: a.median / w.median,
      unit: 'ms',
      samples: a.samples,
      spread: Math.max(a.spread, w.spread),
      goal: 'report (no goal)',
      met: true,
      note: `${files.length} manifests: cold ${r(a.median)} ms (${r((a.median * 1000) / files.length)} µs each), warm ${r(w.median)} ms`,
    }
  } finally {
    tmp.dispose()
  }
}

export const discovery: BenchCase = {
  id: 'discovery-1000',
  what: 'cold discovery of 1,000 plugin.yaml (~1 KB) with a fresh PluginRegistry vs raw readFileSync vs Python yaml.safe_load',
  goal: '≤10× raw read; ≥5× faster than Python',
  async run({ smoke }) {
    const n = smoke ? 50 : 1000
    const tmp = tempDir('discovery')
    try {
      const files: string[] = []
      let bytes = 0
      for (let i = 0; i < n; i++) {
        const type = TYPES[i % TYPES.length]!
        const provider = `p${Math.floor(i / TYPES.length)}`
        const dir = join(tmp.path, type, provider)
        mkdirSync(dir, { recursive: true })
        const text = manifest(type, provider, i)
        bytes += text.length
        writeFileSync(join(dir, 'plugin.yaml'), text)
        writeFileSync(
          join(dir, 'provider.ts'),
          `import { PepperpyPlugin } from '@pepperpy/plugin'\nexport class Provider extends PepperpyPlugin {}\n`,
        )
        files.push(join(dir, 'plugin.yaml'))
      }
      const ours = async (): Promise<void> => {
        const registry = new PluginRegistry({ defaultPaths: false, paths: [tmp.path], logger: silent })
        const report = await registry.discover()
        if (report.plugins.length !== n)
          throw new Error(`found ${report.plugins.length}, diagnostics: ${JSON.stringify(report.diagnostics.slice(0, 2))}`)
      }
      // raw: walk the same tree and read each manifest, no parsing
      const raw = (): void => {
        let total = 0
        for (const t of readdirSync(tmp.path).sort()) {
          for (const p of readdirSync(join(tmp.path, t)).sort()) total += readFileSync(join(tmp.path, t, p, 'plugin.yaml'), 'utf8').length
        }
        if (total !== bytes) throw new Error('raw read mismatch')
      }
      const samples = smoke ? 2 : 15
      let generation = 0
      /** Gives every manifest new text (a first comment line), so that nothing is remembered from an earlier sample. */
      const renew = (paths: string[], texts: string[]): void => {
        generation++
        for (const [i, f] of paths.entries()) writeFileSync(f, `# generation ${generation}\n${texts[i]}`)
      }
      const texts = files.map((f) => readFileSync(f, 'utf8'))
      const cold: number[] = []
      const warm: number[] = []
      const rawTimes: number[] = []
      for (let i = 0; i < (smoke ? 1 : 3) + samples; i++) {
        renew(files, texts)
        bytes = files.reduce((sum, f) => sum + statSync(f).size, 0)
        let t0 = performance.now()
        await ours()
        const c = performance.now() - t0
        t0 = performance.now()
        await ours()
        const w = performance.now() - t0
        t0 = performance.now()
        raw()
        const rw = performance.now() - t0
        if (i >= (smoke ? 1 : 3)) cold.push(c), warm.push(w), rawTimes.push(rw)
      }
      const a = stats(cold)
      const b = stats(rawTimes)
      const aw = stats(warm)
      const real = await realManifests(smoke)
      let py: number | null = null
      let pyNote = ''
      try {
        const out = execFileSync('python3', ['-c', PYTHON, tmp.path, String(smoke ? 1 : 5)], { encoding: 'utf8' })
        const values = out.trim().split(/\s+/).map(Number)
        py = stats(values.slice(smoke ? 0 : 1)).median // first python run warms its caches too
        const cLoader = execFileSync('python3', ['-c', 'import yaml; print(yaml.__version__, bool(getattr(yaml, "CSafeLoader", None)))'], {
          encoding: 'utf8',
        }).trim()
        pyNote = `Python (PyYAML ${cLoader.split(' ')[0]}, pure-Python SafeLoader via safe_load) ${r(py)} ms = ${r(py / a.median)}× ours`
      } catch (error) {
        pyNote = `python3 failed: ${(error as Error).message.split('\n')[0]}`
      }
      const ratio = a.median / b.median
      const faster = py === null ? 0 : py / a.median
      const warmResult = {
        id: 'discovery-1000-warm',
        what: 'the same 1,000 manifests discovered again in one process (parse memo keyed by content) vs raw readFileSync',
        ours: aw.median,
        peer: 'raw readFileSync',
        peerValue: b.median,
        ratio: aw.median / b.median,
        unit: 'ms',
        samples: aw.samples,
        spread: Math.max(aw.spread, b.spread),
        goal: '≤10× raw read',
        met: aw.median / b.median <= 10,
        note: `warm ${r(aw.median)} ms vs cold ${r(a.median)} ms (${r(a.median / aw.median)}× faster)`,
      }
      return [
        {
          id: 'discovery-1000',
          what: this.what,
          ours: a.median,
          peer: 'raw readFileSync',
          peerValue: b.median,
          ratio,
          unit: 'ms',
          samples: a.samples,
          spread: Math.max(a.spread, b.spread),
          goal: this.goal,
          met: ratio <= 10 && faster >= 5,
          note: `${n} manifests, ${r(bytes / n / 1024)} KB avg; ours ${r(ratio)}× raw read; ${pyNote}`,
        },
        warmResult,
        real,
      ]
    } finally {
      tmp.dispose()
    }
  },
}
