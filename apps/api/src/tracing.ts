import { startTracing } from '../../../libs/observability/tracing';

/**
 * Imported first by main.ts, before Nest, Express and pg load, so the instrumentations can patch them.
 * On only when OTEL_EXPORTER_OTLP_ENDPOINT is set (validated with the rest of the config right after).
 */
export const tracing = startTracing({ serviceName: 'rectification-api', otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined });
