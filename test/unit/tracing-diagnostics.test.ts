import { diag } from '@opentelemetry/api';
import { loggingErrorHandler, setGlobalErrorHandler } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger, logTracingDiagnostics } from '../../libs/observability';
import { eventually } from '../support/harness';

/** An operator sees a lost trace: OpenTelemetry's own failures are warn lines of the app's log. */
describe('tracing diagnostics', () => {
  let collector: Server;
  let refused = 0;

  beforeAll(async () => {
    // A collector that refuses every batch (400: not retried), as a misconfigured or overloaded one does.
    collector = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        refused++;
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end('{"code":3,"message":"refused"}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    diag.disable();
    setGlobalErrorHandler(loggingErrorHandler());
    await new Promise<void>((resolve) => collector.close(() => resolve()));
  });

  it('writes a batch of spans the collector refused as an [otel] warn line', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    logTracingDiagnostics(createLogger({ app: 'api', level: 'info', format: 'json', destination }));
    const url = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;
    const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 50 })] });
    try {
      provider.getTracer('test').startSpan('a request').end();
      const line = await eventually(async () => lines.find((l) => String(l.msg).startsWith('[otel]')), 10_000, 'the [otel] line');
      // The collector's refusal in words, not OpenTelemetry's error written out as JSON.
      expect(line).toMatchObject({ level: 'warn', app: 'api' });
      expect(String(line.msg)).not.toMatch(/^\[otel\] \{/);
      expect(refused).toBeGreaterThan(0);
    } finally {
      await provider.shutdown().catch(() => undefined);
    }
  });
});
