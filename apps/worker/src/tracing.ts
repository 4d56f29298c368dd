import { startTracing } from '../../../libs/observability/tracing';

/**
 * Imported first by main.ts, before pg loads, so the pg instrumentation can patch it (the SQL of
 * activities joins their trace). On only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
export const tracing = startTracing({ serviceName: 'rectification-worker', otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined });
