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
 * Modules of the workflow bundle instantiated once, in the workflow thread's shared V8 context, instead of
 * once for every workflow in the sticky cache. With the SDK's reused V8 context each workflow gets a
 * module cache of its own, so without this every cached case held its own copy of the domain: the
 * command tables, rules, playbooks, acceptance forms and policy defaults and every function of them
 * (bench/worker-memory.ts: 0.38–0.39 MB a cached case over the first 1,000, 0.29–0.31 with these
 * shared; see apps/worker/src/memory.ts). Each entry brings the modules it imports, so this is all of
 * libs/ the workflows import; the workflows' own modules (workflows/) stay per workflow.
 *
 * Safe to share, checked module by module (a module shared this way must keep nothing of one workflow
 * that another could see): their module scope only declares functions, classes and constant tables
 * (labels, rule catalogues, command tables, defaults, a non-global RegExp), with no `let`/`var`, no
 * cache or counter, no clock or randomness; and the domain never mutates those tables (it copies them
 * into a case's state: practiceFor clones the playbook and form, the extension and delivery settings are
 * spread). libs/contracts only calls defineQuery/defineUpdate/defineSignal/defineSearchAttributeKey,
 * which build plain definitions. '@temporalio/workflow' (which they import) looks the running workflow
 * up at each call, never at load (its sinks, metric meter and random stream are proxies of the current
 * activator); most of it is already loaded in the shared context by the SDK's own entry point.
 * A module added to libs/domain with state of its own must not be reached from these.
 */
export const SHARED_WORKFLOW_MODULES: readonly string[] = [
  '@temporalio/workflow',
  '../../../libs/contracts/rectify-case',
  '../../../libs/contracts/evaluate-star-rating',
  '../../../libs/contracts/deliver-notices',
  '../../../libs/contracts/search-attributes',
  '../../../libs/domain/case/acceptance',
  '../../../libs/domain/case/clock',
  '../../../libs/domain/case/commands',
  '../../../libs/domain/case/machine',
  '../../../libs/domain/case/rules',
  '../../../libs/domain/case/rules/edition',
  '../../../libs/domain/case/rules/reasons',
  '../../../libs/domain/case/tasks',
  '../../../libs/domain/notices/deadlines',
  '../../../libs/domain/process',
  '../../../libs/domain/star-rating',
].map((m) => require.resolve(m));

/** The case workflows and how they are bundled: the worker's, and what a replay of their histories must use. */
export function caseWorkflowCode(): Pick<WorkerOptions, 'workflowsPath' | 'bundlerOptions'> {
  return { workflowsPath: require.resolve('../../../workflows'), bundlerOptions: { preloadModules: [...SHARED_WORKFLOW_MODULES] } };
}

/**
 * How long one workflow activation may run before the worker stops it as stuck (its default, 5 s, is not in
 * WorkerOptions' type but is taken from the options). patches/@temporalio+worker+1.24.0.patch keeps it on the
 * main thread, one timer per activation, instead of the SDK's vm timeout on every call into the workflow
 * context — Node started and joined a watchdog thread for each of those calls. A thread stuck past it is
 * terminated and the SDK shuts the worker down (to be restarted). The clock is the wall clock, so a host that
 * freezes the worker (a paused VM; a bench run once stalled 18 s) runs it out on waking: a minute keeps the
 * worker through such stalls, and the case workflows have no unbounded loop (a case has limits).
 */
const ACTIVATION_TIME_LIMIT = { isolateExecutionTimeout: '60s' } as const;

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
    ...caseWorkflowCode(),
    ...ACTIVATION_TIME_LIMIT,
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
