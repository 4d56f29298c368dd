import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createActivities } from '../../activities';
import { dataSourceOptions } from '../../libs/persistence';
import { CASE_SEARCH_ATTRIBUTES } from '../../libs/contracts/search-attributes';
import { quietTemporalRuntime } from './harness';

/**
 * The Java time-skipping test server (started through the wrapper that global setup prepared), a
 * worker with the real activities, and the run's PostgreSQL database.
 */
export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  dataSource: DataSource;
  taskQueue: string;
  worker: Worker;
  close(): Promise<void>;
}

const bundles = new Map<string, Promise<WorkflowBundle>>();

/**
 * The workflow bundle, built once per test file and set of workflow interceptor modules (webpack takes a
 * second or two).
 */
function workflowBundle(workflowInterceptorModules: string[]): Promise<WorkflowBundle> {
  const key = workflowInterceptorModules.join('\n');
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      workflowInterceptorModules,
      logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } as never,
    });
    bundles.set(key, bundle);
  }
  return bundle;
}

export interface TimeSkippingOptions {
  /** Workflow interceptor modules bundled with the workflows: faults a test injects inside the sandbox. */
  workflowInterceptorModules?: string[];
}

export async function startTimeSkipping(options: TimeSkippingOptions = {}): Promise<TimeSkipping> {
  quietTemporalRuntime();
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!path) throw new Error('TEMPORAL_TEST_SERVER_PATH is not set: run the tests through jest (global setup prepares it)');
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  // The case workflow sets custom search attributes; this server knows them only once added.
  const { IndexedValueType } = temporal.api.enums.v1;
  const types: Record<string, temporal.api.enums.v1.IndexedValueType> = {
    KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  };
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(CASE_SEARCH_ATTRIBUTES.map((k) => [k.name, types[k.type]])),
  });
  const dataSource = new DataSource(dataSourceOptions(process.env.DATABASE_URL as string));
  await dataSource.initialize();
  const taskQueue = `ts-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(options.workflowInterceptorModules ?? []),
    activities: createActivities({ dataSource, temporal: { client: env.client, taskQueue } }),
  });
  const running = worker.run();
  return {
    env,
    dataSource,
    taskQueue,
    worker,
    async close() {
      worker.shutdown();
      await running;
      await env.teardown();
      await dataSource.destroy();
    },
  };
}
