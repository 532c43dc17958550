import { context, SpanStatusCode, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type HistogramMetricData,
} from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { instrumentPepperpy, type PepperpyInstrumentation } from '@pepperpy/otel'
import { createPluginSystem, MemoryStateStore, PepperpyPlugin, silentLogger, type PluginSystem } from './index.js'

let spans: InMemorySpanExporter
let tracerProvider: BasicTracerProvider
let metrics: InMemoryMetricExporter
let reader: PeriodicExportingMetricReader
let meterProvider: MeterProvider
let otel: PepperpyInstrumentation | undefined
let contextManager: AsyncLocalStorageContextManager | undefined
const systems: PluginSystem[] = []

beforeEach(() => {
  spans = new InMemorySpanExporter()
  tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] })
  metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
  reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 })
  meterProvider = new MeterProvider({ readers: [reader] })
})

afterEach(async () => {
  otel?.disable()
  otel = undefined
  for (const s of systems.splice(0)) await s.dispose().catch(() => {})
  await meterProvider.shutdown()
  await tracerProvider.shutdown()
  if (contextManager) {
    context.disable()
    contextManager = undefined
  }
})

/** A system with `node/a`; `node/b` needs a; `node/c` needs b; `node/bad` fails to initialize. */
function system(): PluginSystem {
  const s = createPluginSystem({ defaultPaths: false, env: {}, stateStore: new MemoryStateStore(), logger: silentLogger })
  systems.push(s)
  class Node extends PepperpyPlugin {
    override async initialize(): Promise<void> {
      await new Promise((r) => setImmediate(r))
    }
  }
  class Bad extends PepperpyPlugin {
    override async initialize(): Promise<void> {
      throw new TypeError('no connection to db://x')
    }
  }
  s.registerPlugin('node', 'a', Node)
  s.registerPlugin('node', 'b', class extends Node {}, { dependencies: [{ type: 'node', provider: 'a' }] })
  s.registerPlugin('node', 'c', class extends Node {}, { dependencies: [{ type: 'node', provider: 'b' }] })
  s.registerPlugin('node', 'bad', Bad)
  return s
}

const named = (name: string, id: string): ReadableSpan => {
  const found = spans.getFinishedSpans().filter((s) => s.name === name && s.attributes['pepperpy.plugin.id'] === id)
  expect(found, `${name} of ${id}`).toHaveLength(1)
  return found[0]!
}
const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId

async function histogram(): Promise<HistogramMetricData> {
  await reader.forceFlush()
  const all = metrics.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics))
  const found = all.filter((m) => m.descriptor.name === 'pepperpy.plugin.duration')
  expect(found.length).toBeGreaterThan(0)
  const last = found.at(-1)!
  expect(last.dataPointType).toBe(DataPointType.HISTOGRAM)
  return last as HistogramMetricData
}

describe('instrumentPepperpy', () => {
  it('one span per initialize with the plugin attributes; dependencies initialized on behalf of a plugin are its children', async () => {
    otel = instrumentPepperpy({ tracerProvider, meterProvider })
    const s = system()
    const c = await s.createProviderInstance('node', 'c')
    await c.initialize()
    const [ic, ib, ia] = [
      named('pepperpy.initialize', 'node/c'),
      named('pepperpy.initialize', 'node/b'),
      named('pepperpy.initialize', 'node/a'),
    ]
    expect(ic.attributes).toMatchObject({
      'pepperpy.plugin.id': 'node/c',
      'pepperpy.plugin.type': 'node',
      'pepperpy.plugin.provider': 'c',
      'pepperpy.operation': 'initialize',
    })
    expect(ic.status.code).toBe(SpanStatusCode.UNSET)
    // c.initialize() brought up b and a first (its beforeInitialize hook): both inside c's span
    expect(parentOf(ib)).toBe(ic.spanContext().spanId)
    expect(parentOf(ia)).toBe(ic.spanContext().spanId)
    expect(ia.spanContext().traceId).toBe(ic.spanContext().traceId)
    expect(parentOf(ic)).toBeUndefined()
    // a child span ends before its parent
    const end = (x: ReadableSpan) => x.endTime[0] * 1e9 + x.endTime[1]
    expect(end(ia)).toBeLessThanOrEqual(end(ic))
    await s.dispose()
    expect(named('pepperpy.cleanup', 'node/c').attributes['pepperpy.operation']).toBe('cleanup')
  })

  it('a failed initialize gets error status, the exception and error.type', async () => {
    otel = instrumentPepperpy({ tracerProvider, meterProvider })
    const bad = await system().createProviderInstance('node', 'bad')
    await expect(bad.initialize()).rejects.toThrow('no connection')
    const span = named('pepperpy.initialize', 'node/bad')
    const message = 'plugin "node/bad": initialize() failed: no connection to db://x'
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message })
    expect(span.attributes['error.type']).toBe('PluginInitError')
    expect(span.events.map((e) => e.name)).toEqual(['exception'])
    expect(span.events[0]!.attributes?.['exception.message']).toBe(message)
  })

  it('records pepperpy.plugin.duration in ms per operation and plugin', async () => {
    otel = instrumentPepperpy({ tracerProvider, meterProvider })
    const s = system()
    for (const p of ['a', 'b', 'c']) await s.manager.createInstance('node', p)
    await s.manager.initialize()
    const bad = await s.createProviderInstance('node', 'bad')
    await bad.initialize().catch(() => {})
    const h = await histogram()
    expect(h.descriptor.unit).toBe('ms')
    const init = h.dataPoints.filter((d) => d.attributes['pepperpy.operation'] === 'initialize')
    expect(init.map((d) => d.attributes['pepperpy.plugin.id']).sort()).toEqual(['node/a', 'node/b', 'node/bad', 'node/c'])
    for (const d of init) {
      expect(d.value.count).toBe(1)
      expect(d.value.sum).toBeGreaterThanOrEqual(0)
      expect(d.value.sum).toBeLessThan(60_000)
    }
    expect(init.find((d) => d.attributes['pepperpy.plugin.id'] === 'node/bad')!.attributes['error.type']).toBe('PluginInitError')
    // the spans say the same: one per plugin
    expect(spans.getFinishedSpans().filter((x) => x.name === 'pepperpy.initialize')).toHaveLength(4)
  })

  it("with the AsyncLocalStorage context manager, spans of the plugin's own code and the caller's span nest too", async () => {
    contextManager = new AsyncLocalStorageContextManager().enable()
    context.setGlobalContextManager(contextManager)
    otel = instrumentPepperpy({ tracerProvider, meterProvider })
    const tracer = tracerProvider.getTracer('app')
    class Calls extends PepperpyPlugin {
      override async initialize(): Promise<void> {
        await tracer.startActiveSpan('http GET', async (span) => {
          await new Promise((r) => setImmediate(r))
          span.end()
        })
      }
    }
    const s = system()
    s.registerPlugin('node', 'calls', Calls, { dependencies: [{ type: 'node', provider: 'a' }] })
    const p = await s.createProviderInstance('node', 'calls')
    await tracer.startActiveSpan('boot', async (root) => {
      await p.initialize()
      root.end()
    })
    const boot = spans.getFinishedSpans().find((x) => x.name === 'boot')!
    const init = named('pepperpy.initialize', 'node/calls')
    const http = spans.getFinishedSpans().find((x) => x.name === 'http GET')!
    expect(parentOf(init)).toBe(boot.spanContext().spanId)
    expect(parentOf(http)).toBe(init.spanContext().spanId)
    expect(parentOf(named('pepperpy.initialize', 'node/a'))).toBe(init.spanContext().spanId)
  })

  it('disable() stops recording; the global providers are used when none are given', async () => {
    const previous = trace.getTracerProvider()
    trace.setGlobalTracerProvider(tracerProvider)
    try {
      otel = instrumentPepperpy({ meterProvider })
      const s = system()
      const a = await s.createProviderInstance('node', 'a')
      await a.initialize()
      expect(spans.getFinishedSpans().map((x) => x.name)).toEqual(['pepperpy.create', 'pepperpy.initialize'])
      otel.disable()
      otel.disable()
      const b = await s.createProviderInstance('node', 'b')
      await b.initialize()
      expect(spans.getFinishedSpans()).toHaveLength(2)
    } finally {
      trace.disable()
      if (previous !== trace.getTracerProvider()) trace.setGlobalTracerProvider(previous)
    }
  })
})
