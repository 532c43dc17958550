import { AsyncLocalStorage } from 'node:async_hooks'
import { tracingChannel, type TracingChannelSubscribers } from 'node:diagnostics_channel'
import type { Context, Histogram, MeterProvider, Span, TracerProvider } from '@opentelemetry/api'
import { describeError } from '@pepperpy/plugin'
import { loadApi, type OtelApi } from './internal/load-api.js'
import { attr, attributesOf, operations, type Operation } from './internal/operations.js'

/** Options of {@link instrumentPepperpy}. */
export interface InstrumentPepperpyOptions {
  /** @default the global tracer provider (`trace.getTracerProvider()`) */
  tracerProvider?: TracerProvider
  /** @default the global meter provider (`metrics.getMeterProvider()`) */
  meterProvider?: MeterProvider
}

/** A running instrumentation. */
export interface PepperpyInstrumentation {
  /** Unsubscribes from every channel; operations already running are not recorded. Idempotent. */
  disable(): void
}

/** The instrumentation scope name of the tracer and the meter. */
export const INSTRUMENTATION_NAME = '@pepperpy/otel'

interface Running {
  span: Span
  context: Context
  t0: number
}

/**
 * Turns the pepperpy diagnostics channels into OpenTelemetry spans (`pepperpy.initialize`, ...,
 * attributes `pepperpy.plugin.id`, `.type`, `.provider`, error status on failure) and a
 * `pepperpy.plugin.duration` histogram (ms, attribute `pepperpy.operation`). An operation started
 * inside another (a dependency initialized on behalf of a plugin) gets the other's span as parent.
 * @param options providers to use instead of the global ones
 * @returns a handle whose `disable()` stops the instrumentation
 * @throws PepperpyError when `@opentelemetry/api` is not installed
 * @example
 * const otel = instrumentPepperpy({ tracerProvider })
 * await system.manager.initialize()
 * otel.disable()
 */
export function instrumentPepperpy(options: InstrumentPepperpyOptions = {}): PepperpyInstrumentation {
  const api = loadApi()
  const tracer = (options.tracerProvider ?? api.trace.getTracerProvider()).getTracer(INSTRUMENTATION_NAME)
  const meter = (options.meterProvider ?? api.metrics.getMeterProvider()).getMeter(INSTRUMENTATION_NAME)
  const duration = meter.createHistogram('pepperpy.plugin.duration', {
    unit: 'ms',
    description:
      'Duration of one pepperpy operation (discover, load, create, initialize, cleanup, reload, state load/save, call) of a plugin',
  })
  const store = contextStore(api)
  const undo: Array<() => void> = []
  for (const op of operations) {
    const running = new WeakMap<object, Running>()
    const begin = (ctx: object): Running => {
      let run = running.get(ctx)
      if (run) return run
      const parent = store.getStore() ?? api.context.active()
      const span = tracer.startSpan(
        `pepperpy.${op.name}`,
        { kind: api.SpanKind.INTERNAL, attributes: { ...attributesOf(ctx as Record<string, unknown>), [attr.operation]: op.name } },
        parent,
      )
      run = { span, context: api.trace.setSpan(parent, span), t0: performance.now() }
      running.set(ctx, run)
      return run
    }
    const finish = (ctx: object): void => {
      const run = running.get(ctx)
      if (!run) return
      running.delete(ctx)
      finishSpan(api, op, run, ctx as Record<string, unknown>, duration)
    }
    const channel = tracingChannel(op.channel)
    const handlers: TracingChannelSubscribers<object> = {
      start: (ctx) => void begin(ctx),
      end: (ctx) => (op.sync ? finish(ctx) : undefined),
      asyncStart: () => {},
      asyncEnd: (ctx) => finish(ctx),
      error: () => {},
    }
    channel.start.bindStore(store, (ctx) => begin(ctx as object).context)
    channel.subscribe(handlers)
    undo.push(() => {
      channel.unsubscribe(handlers)
      channel.start.unbindStore(store)
    })
  }
  return {
    disable() {
      for (const u of undo.splice(0)) u()
    },
  }
}

function finishSpan(api: OtelApi, op: Operation, run: Running, ctx: Record<string, unknown>, duration: Histogram): void {
  const ms = performance.now() - run.t0
  const attributes = attributesOf(ctx)
  run.span.setAttributes(attributes)
  const error = ctx['error']
  const metric: Record<string, string> = { [attr.operation]: op.name }
  if (attributes[attr.id]) metric[attr.id] = attributes[attr.id]!
  if ('error' in ctx && error !== undefined) {
    const name = error instanceof Error ? error.name : typeof error
    metric[attr.errorType] = name
    run.span.setAttribute(attr.errorType, name)
    if (error instanceof Error) run.span.recordException(error)
    run.span.setStatus({ code: api.SpanStatusCode.ERROR, message: describeError(error) })
  }
  run.span.end()
  duration.record(ms, metric)
}

/**
 * Where the active OpenTelemetry context lives during an operation: the AsyncLocalStorage of the
 * registered AsyncLocalStorageContextManager when there is one (so spans the plugin's own code
 * starts become children too), else a store of our own (pepperpy operations still nest).
 */
function contextStore(api: OtelApi): AsyncLocalStorage<Context> {
  const manager = (api.context as unknown as { _getContextManager?: () => unknown })._getContextManager?.()
  const als = (manager as { _asyncLocalStorage?: unknown } | undefined)?._asyncLocalStorage
  return als instanceof AsyncLocalStorage ? (als as AsyncLocalStorage<Context>) : new AsyncLocalStorage<Context>()
}
