// First: tracing must be set up before http, express and pg are loaded (it patches them).
import { tracing } from './tracing';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '../../../libs/config';
import { createLogger, logTracingDiagnostics, startMetricsServer, type Logger } from '../../../libs/observability';
import { AppModule } from './app.module';
import { configureApp } from './bootstrap';
import { demoAccountsRefusal, demoAccountsWithPublishedPassword } from './demo/demo-accounts';
import { ApiMetrics } from './observability/api-metrics';
import { API_LOGGER } from './observability/observability.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit('api');
  // Nest's start-up lines wait until its logger is pino's, so they are JSON lines too.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: true, bufferLogs: true });
  app.useLogger(app.get(NestPinoLogger));
  const log = app.get<Logger>(API_LOGGER);
  if (tracing) logTracingDiagnostics(log);
  if (config.nodeEnv === 'production') {
    const demoAccounts = await demoAccountsWithPublishedPassword(app.get(DataSource));
    if (demoAccounts.length > 0) {
      log.fatal(`[api] ${demoAccountsRefusal(demoAccounts)}`);
      await app.close();
      process.exit(78);
    }
  }
  configureApp(app);
  await app.listen(config.api.port, config.api.host);
  log.info({ host: config.api.host, port: config.api.port }, `[api] listening on http://${config.api.host}:${config.api.port}/api`);
  const { metricsHost, apiMetricsPort, otlpEndpoint } = config.observability;
  if (apiMetricsPort !== undefined) {
    // Its own port, bound to METRICS_HOST (loopback by default): never on the public API.
    const apiMetrics = app.get(ApiMetrics);
    apiMetrics.collectProcessMetrics();
    try {
      const metrics = await startMetricsServer(apiMetrics.registry, metricsHost, apiMetricsPort);
      metrics.server.unref();
      log.info({ host: metricsHost, port: metrics.port }, `[api] metrics at http://${metricsHost}:${metrics.port}/metrics`);
    } catch (err) {
      // Metrics never stop the API: a taken port is an error line (and a Prometheus target that is down).
      log.error({ err, host: metricsHost, port: apiMetricsPort }, `[api] metrics off: could not serve them on ${metricsHost}:${apiMetricsPort} (METRICS_PORT)`);
    }
  }
  log.info(otlpEndpoint ? `[api] traces sent to ${otlpEndpoint} (OTLP/HTTP)` : '[api] tracing off (OTEL_EXPORTER_OTLP_ENDPOINT not set)');
}

main().catch((err: unknown) => {
  const log: Logger = createLogger({ app: 'api', level: 'info' });
  log.fatal({ err }, '[api] fatal: could not start');
  process.exit(1);
});
