// First: tracing must be set up before pg is loaded (it patches it).
import { tracing } from './tracing';
import 'reflect-metadata';
import { Client } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { loadConfigOrExit, type AppConfig } from '../../../libs/config';
import { createLogger, loggerSettings, logTracingDiagnostics, TemporalPinoLogger, type Logger } from '../../../libs/observability';
import { dataSourceOptions, WORKER_DATABASE_APPLICATION_NAME } from '../../../libs/persistence';
import { clientInterceptors, TemporalClientConnection } from '../../../libs/temporal';
import { loadStatutoryCalendar } from '../../../libs/calendar';
import { createCaseWorker } from './create-worker';
import { describePlan, heapLimitWarning, workerMemoryPlan } from './memory';

/**
 * The Temporal SDK's runtime, once per process: its logger is ours (the worker's lifecycle, the Rust
 * core's warnings, and every workflow's and activity's `log` become JSON lines with their workflow
 * id), and its metrics (task latencies, sticky cache size and hits, poller counts) are served for
 * Prometheus on WORKER_METRICS_PORT, bound to METRICS_HOST.
 */
function installRuntime(config: AppConfig, log: Logger): string | undefined {
  const { metricsHost, workerMetricsPort } = config.observability;
  const bindAddress = workerMetricsPort === undefined ? undefined : `${metricsHost.includes(':') ? `[${metricsHost}]` : metricsHost}:${workerMetricsPort}`;
  const install = (withMetrics: boolean) =>
    Runtime.install({
      logger: new TemporalPinoLogger(log),
      telemetryOptions: {
        logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
        ...(bindAddress && withMetrics ? { metrics: { prometheus: { bindAddress } } } : {}),
      },
    });
  try {
    install(true);
    return bindAddress;
  } catch (err) {
    if (!bindAddress) throw err;
    // Metrics never stop the cases: a taken port (a second worker on the host) is an error line and a
    // Prometheus target that is down, while this worker runs on without its endpoint.
    log.error({ err, bindAddress }, `[worker] metrics off: could not serve them on ${bindAddress} (WORKER_METRICS_PORT)`);
    install(false);
    return undefined;
  }
}

async function main(log: Logger, config: AppConfig): Promise<void> {
  // Before any connection: the sticky cache sized by WORKER_MEMORY_MB (or WORKER_MAX_CACHED_WORKFLOWS),
  // and a warning when the process's heap limit is not that budget.
  const memory = workerMemoryPlan(config.worker);
  log.info({ maxCachedWorkflows: memory.maxCachedWorkflows, source: memory.source, memoryMb: memory.memoryMb }, describePlan(memory));
  const heapWarning = heapLimitWarning(memory);
  if (heapWarning) log.warn(heapWarning);
  const metricsAddress = installRuntime(config, log);
  const dataSource = new DataSource(dataSourceOptions(config.databaseUrl, { applicationName: WORKER_DATABASE_APPLICATION_NAME }));
  await dataSource.initialize();
  const connection = await NativeConnection.connect({ address: config.temporal.address, grpcCompression: { codec: config.temporal.workerGrpcCompression } });
  const clientConnection = await TemporalClientConnection.connect({ address: config.temporal.address });
  const client = new Client({ connection: clientConnection.connection, namespace: config.temporal.namespace, interceptors: clientInterceptors() });
  try {
    const worker = await createCaseWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      dataSource,
      client,
      maxCachedWorkflows: memory.maxCachedWorkflows,
      outboundAllow: config.outbound.allow,
      logger: log,
      ...(tracing ? { tracing } : {}),
    });
    // China's statutory holidays and make-up working days, for planning notices (never overwrites a county's correction).
    const calendar = await loadStatutoryCalendar(dataSource);
    log.info(
      { years: calendar.years, insertedDays: calendar.insertedDays, insertedYears: calendar.insertedYears },
      `[worker] working calendar ${calendar.years[0]}–${calendar.years[calendar.years.length - 1]}: ${calendar.insertedDays} new days, ${calendar.insertedYears} new years`,
    );
    if (metricsAddress) log.info(`[worker] metrics at http://${metricsAddress}/metrics`);
    log.info(config.observability.otlpEndpoint ? `[worker] traces sent to ${config.observability.otlpEndpoint} (OTLP/HTTP)` : '[worker] tracing off (OTEL_EXPORTER_OTLP_ENDPOINT not set)');
    // npm start and the tests wait for this line ("[worker] polling task queue").
    log.info({ taskQueue: config.temporal.taskQueue, temporalAddress: config.temporal.address }, `[worker] polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address}`);
    // Worker.run() resolves after SIGINT/SIGTERM once in-flight tasks have finished.
    await worker.run();
    log.info('[worker] stopped');
  } finally {
    await clientConnection.close();
    await connection.close();
    await dataSource.destroy();
    await tracing?.shutdown();
  }
}

const config = loadConfigOrExit('worker');
const log = createLogger(loggerSettings('worker', config));
if (tracing) logTracingDiagnostics(log);
main(log, config).catch((err: unknown) => {
  log.fatal({ err }, '[worker] fatal: stopped');
  process.exit(1);
});
