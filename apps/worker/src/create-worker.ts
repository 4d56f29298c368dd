import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createActivities } from '../../../activities';
import type { AppConfig } from '../../../libs/config';

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dataSource: DataSource;
  /** A client on the same namespace: activities start and signal the delivery workflows with it. */
  client: Client;
  /** Optional worker identity, shown in the Temporal UI. */
  identity?: string;
  /** The sticky cache's size (WORKER_MAX_CACHED_WORKFLOWS); the SDK's default when absent. */
  maxCachedWorkflows?: number;
  /** Origins notification channels may reach beyond public https (OUTBOUND_ALLOW); none when absent. */
  outboundAllow?: AppConfig['outbound']['allow'];
}

/**
 * The Temporal worker that runs the case workflows and their activities. Used by the worker app and
 * by the integration tests, so both run exactly the same registration.
 */
export function createCaseWorker(opts: CaseWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.identity ? { identity: opts.identity } : {}),
    ...(opts.maxCachedWorkflows ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
    workflowsPath: require.resolve('../../../workflows'),
    activities: createActivities({
      dataSource: opts.dataSource,
      temporal: { client: opts.client, taskQueue: opts.taskQueue },
      outbound: { allow: opts.outboundAllow ?? [] },
    }),
  });
}
