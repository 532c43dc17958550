import { SpanStatusCode } from '@opentelemetry/api'
import { InMemoryMetricExporter, AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { PepperpyPlugin } from '@pepperpy/plugin'
import { addLifecycleHook, instantiatePlugin } from '@pepperpy/plugin/spi'
import { afterEach, expect, it } from 'vitest'
import { instrumentPepperpy, type PepperpyInstrumentation } from './instrument.js'

// The contract alone (the dependency rule); the whole system's spans are tested in @pepperpy/plugins (otel.test.ts).
let otel: PepperpyInstrumentation | undefined
afterEach(() => otel?.disable())

it('turns the lifecycle channels of plain plugins into nested spans and duration points', async () => {
  const spans = new InMemorySpanExporter()
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] })
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
  const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 })
  const meterProvider = new MeterProvider({ readers: [reader] })
  otel = instrumentPepperpy({ tracerProvider, meterProvider })
  class Quiet extends PepperpyPlugin {}
  class Broken extends PepperpyPlugin {
    override async initialize(): Promise<void> {
      throw new RangeError('bad port')
    }
  }
  const dep = instantiatePlugin(Quiet, { type: 'db', provider: 'pg' })
  const app = instantiatePlugin(Quiet, { type: 'app', provider: 'main' })
  addLifecycleHook(app, 'beforeInitialize', () => dep.initialize()) // what the manager does on a plugin's behalf
  await app.initialize()
  await expect(instantiatePlugin(Broken, { type: 'db', provider: 'broken' }).initialize()).rejects.toThrow('bad port')
  const [db, main, broken] = ['db/pg', 'app/main', 'db/broken'].map(
    (id) => spans.getFinishedSpans().find((s) => s.attributes['pepperpy.plugin.id'] === id)!,
  )
  expect(main!.name).toBe('pepperpy.initialize')
  expect(db!.parentSpanContext?.spanId).toBe(main!.spanContext().spanId)
  expect(broken!.status.code).toBe(SpanStatusCode.ERROR)
  expect(broken!.attributes['error.type']).toBe('PluginInitError')
  await reader.forceFlush()
  const points = metrics
    .getMetrics()
    .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics))
    .filter((m) => m.descriptor.name === 'pepperpy.plugin.duration')
    .at(-1)!.dataPoints
  expect(points.map((p) => p.attributes['pepperpy.plugin.id']).sort()).toEqual(['app/main', 'db/broken', 'db/pg'])
  await meterProvider.shutdown()
  await tracerProvider.shutdown()
})
