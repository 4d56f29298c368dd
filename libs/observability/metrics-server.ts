import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a metrics server serves: prom-client's Registry fits. */
export interface MetricsSource {
  contentType: string;
  metrics(): Promise<string>;
}

/**
 * GET /metrics of `source` on its own port, apart from the public API, bound to METRICS_HOST
 * (loopback unless a scraper elsewhere needs it). Anything else answers 404.
 */
export async function startMetricsServer(source: MetricsSource, host: string, port: number): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if ((req.method === 'GET' || req.method === 'HEAD') && path === '/metrics') {
      source.metrics().then(
        (text) => {
          res.writeHead(200, { 'Content-Type': source.contentType, 'Cache-Control': 'no-store' });
          res.end(req.method === 'HEAD' ? undefined : text);
        },
        (err: unknown) => {
          res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end(`metrics failed: ${err instanceof Error ? err.message : String(err)}\n`);
        },
      );
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found: the metrics are at GET /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
