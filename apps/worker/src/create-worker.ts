import type { Client } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createActivities } from '../../../activities';
import type { AppConfig } from '../../../libs/config';
import type { Logger, Tracing } from '../../../libs/observability';

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dataSource: DataSource;
  /** A client on the same namespace: activities start and signal the delivery workflows with it. */
  client: Client;
  /** Optional worker identity, shown in the Temporal UI. */
  identity?: string;
  /** The sticky cache's size (the app's: apps/worker/src/memory.ts); the SDK's default when absent (tests). */
  maxCachedWorkflows?: number;
  /** Origins notification channels may reach beyond public https (OUTBOUND_ALLOW); none when absent. */
  outboundAllow?: AppConfig['outbound']['allow'];
  /** The worker's logger, for activities called outside an activity context; inside one they use the SDK's. */
  logger?: Logger;
  /**
   * Tracing on (libs/observability startTracing): workflows and activities continue the trace their
   * start, signal or Update carried in its headers, and workflow spans leave through a sink.
   */
  tracing?: Pick<Tracing, 'spanProcessor' | 'resource'>;
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
      ...(opts.logger ? { logger: opts.logger } : {}),
    }),
    ...(opts.tracing ? tracingOptions(opts.tracing) : {}),
  });
}

/**
 * The OpenTelemetry interceptors (workflow, activity) and the workflow-span sink. Only with tracing
 * on: the workflow interceptors add no commands, so histories replay the same either way.
 */
function tracingOptions(tracing: Pick<Tracing, 'spanProcessor' | 'resource'>): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  return {
    interceptors: {
      workflowModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
      activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
