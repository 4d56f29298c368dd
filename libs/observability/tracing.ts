import { diag, DiagLogLevel } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * OpenTelemetry for one process: a tracer provider (W3C trace context, async-local context), the
 * HTTP, Express and pg instrumentations, and an exporter. The Temporal interceptors
 * (@temporalio/interceptors-opentelemetry) carry the trace through the Update into the workflow and
 * its activities, so one trace shows HTTP request → Update → activity → SQL.
 */
export interface Tracing {
  resource: Resource;
  /** Also handed to the worker's workflow-span sink, so workflow spans leave the same way. */
  spanProcessor: SpanProcessor;
  provider: NodeTracerProvider;
  /** Flushes the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** service.name of the spans: rectification-api, rectification-worker. */
  serviceName: string;
  /** The OTLP/HTTP collector (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `${endpoint}/v1/traces`. */
  otlpEndpoint?: string;
  /** Instead of OTLP: an exporter of the caller's (tests: InMemorySpanExporter), spans exported as they end. */
  exporter?: SpanExporter;
}

/** Paths whose requests are not worth a trace: the health probe runs every few seconds. */
const UNTRACED_PATHS = new Set(['/api/health']);

/**
 * Starts tracing when an exporter or an OTLP endpoint is given; otherwise does nothing and returns
 * undefined (the OpenTelemetry API then hands out no-op tracers: tracing costs nothing when off).
 * Call it before http, express and pg are loaded: the instrumentations patch them as they load.
 */
export function startTracing(options: TracingOptions): Tracing | undefined {
  const exporter = options.exporter ?? (options.otlpEndpoint ? new OTLPTraceExporter({ url: otlpTracesUrl(options.otlpEndpoint) }) : undefined);
  if (!exporter) return undefined;
  const resource = Resource.default().merge(new Resource({ [ATTR_SERVICE_NAME]: options.serviceName }));
  const spanProcessor = options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter);
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  const disable = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0]),
        // The OTLP exporter's own requests would trace themselves.
        ignoreOutgoingRequestHook: (req) => options.otlpEndpoint !== undefined && sameOrigin(req, options.otlpEndpoint),
      }),
      // Route handlers only: a span for each of the dozen middlewares would bury the useful ones.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      // Statements without their parameter values (enhancedDatabaseReporting stays off): no personal data in traces.
      new PgInstrumentation(),
    ],
  });
  return {
    resource,
    spanProcessor,
    provider,
    async shutdown() {
      disable();
      await provider.shutdown();
    },
  };
}

/**
 * OpenTelemetry's own warnings and errors — a batch of spans the collector did not take, spans dropped from a
 * full queue — as warn lines of the app's log ("[otel] …"). Without a diagnostic logger and an error handler
 * OpenTelemetry says them to nobody, and a lost trace leaves no trace. A failed export reaches the global error
 * handler as its error, whose message is the line.
 */
export function logTracingDiagnostics(logger: { warn(meta: Record<string, unknown>, message: string): void }): void {
  const warn = (message: string, ...args: unknown[]) => logger.warn(args.length ? { details: args.map((a) => (a instanceof Error ? a.message : String(a))) } : {}, `[otel] ${message}`);
  const ignore = () => undefined;
  diag.setLogger({ error: warn, warn, info: ignore, debug: ignore, verbose: ignore }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  setGlobalErrorHandler((ex) => logger.warn({ err: ex }, `[otel] ${ex instanceof Error ? ex.message : String(ex)}`));
}

/** OTEL_EXPORTER_OTLP_ENDPOINT names the collector; traces go to its /v1/traces (the OTLP/HTTP convention). */
export function otlpTracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

function sameOrigin(req: { hostname?: string | null; host?: string | null; port?: number | string | null }, endpoint: string): boolean {
  try {
    const url = new URL(endpoint);
    const host = req.hostname ?? req.host ?? '';
    return host.split(':')[0] === url.hostname && String(req.port ?? (url.protocol === 'https:' ? 443 : 80)) === (url.port || (url.protocol === 'https:' ? '443' : '80'));
  } catch {
    return false;
  }
}
