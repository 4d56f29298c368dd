import 'reflect-metadata';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '../../../libs/config';
import { dataSourceOptions } from '../../../libs/persistence';
import { TemporalClientConnection } from '../../../libs/temporal';
import { loadStatutoryCalendar } from '../../../activities/statutory-calendar';
import { createCaseWorker } from './create-worker';

async function main(): Promise<void> {
  const config = loadConfigOrExit('worker');
  const dataSource = new DataSource(dataSourceOptions(config.databaseUrl));
  await dataSource.initialize();
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const clientConnection = await TemporalClientConnection.connect({ address: config.temporal.address });
  const client = new Client({ connection: clientConnection.connection, namespace: config.temporal.namespace });
  try {
    const worker = await createCaseWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      dataSource,
      client,
      maxCachedWorkflows: config.worker.maxCachedWorkflows,
      outboundAllow: config.outbound.allow,
    });
    // China's statutory holidays and make-up working days, for planning notices (never overwrites a county's correction).
    const calendar = await loadStatutoryCalendar(dataSource);
    console.log(`[worker] working calendar ${calendar.years[0]}–${calendar.years[calendar.years.length - 1]}: ${calendar.insertedDays} new days, ${calendar.insertedYears} new years`);
    console.log(`[worker] polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address}`);
    // Worker.run() resolves after SIGINT/SIGTERM once in-flight tasks have finished.
    await worker.run();
    console.log('[worker] stopped');
  } finally {
    await clientConnection.close();
    await connection.close();
    await dataSource.destroy();
  }
}

main().catch((err) => {
  console.error('[worker] fatal:', err);
  process.exit(1);
});
