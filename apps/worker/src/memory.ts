import v8 from 'node:v8';
import type { AppConfig } from '../../../libs/config';

const MIB = 1024 * 1024;

/**
 * What the worker process takes before it caches a single case, in MB of resident memory: Node and
 * the Temporal SDK's core, the workflow bundle loaded in the workflow thread's V8 context, the
 * activities with their PostgreSQL pool, the Temporal connections. Measured: RSS of
 * `node dist/apps/worker/src/main.js` polling an idle task queue (Node 20, @temporalio/worker 1.24).
 */
export const WORKER_BASE_MB = 250;

/**
 * What one cached case workflow adds to the worker's resident memory, in MB: its sandbox's globals
 * (the SDK reuses one V8 context and swaps each workflow's globals in), its state with the notice
 * plan, its pending timers and promises, and the core's copy of its run. Measured as the slope of RSS
 * against cached cases while cases were designated one after the other with a cache larger than all
 * of them (see `measureNote` in the README's Performance section).
 */
export const CACHED_CASE_MB = 0.42;

/** The SDK refuses a cache of 1 (2 is its least, 0 turns stickiness off). */
const MIN_CACHE = 2;

export interface WorkerMemoryPlan {
  /** Workflows the worker keeps in memory between their tasks (the SDK's maxCachedWorkflows). */
  maxCachedWorkflows: number;
  /** WORKER_MAX_CACHED_WORKFLOWS when set, else sized from WORKER_MEMORY_MB. */
  source: 'override' | 'budget';
  /** The budget, in MB. */
  memoryMb: number;
}

/**
 * Sizes the sticky workflow cache by memory, not by count: what the budget leaves after the worker's
 * base, divided by what one cached case costs. The SDK's own default (`(heap limit − 200 MB) × 600 /
 * 1024 MB`, from the V8 heap limit, about 2,300 with Node's default heap on this 24 GB machine) knows
 * nothing of the rest of the process and took the worker to 1.8 GB under the benchmark.
 * WORKER_MAX_CACHED_WORKFLOWS, when set, wins.
 */
export function workerMemoryPlan(worker: AppConfig['worker']): WorkerMemoryPlan {
  if (worker.maxCachedWorkflows !== undefined) return { maxCachedWorkflows: worker.maxCachedWorkflows, source: 'override', memoryMb: worker.memoryMb };
  const fits = Math.floor((worker.memoryMb - WORKER_BASE_MB) / CACHED_CASE_MB);
  return { maxCachedWorkflows: Math.max(MIN_CACHE, fits), source: 'budget', memoryMb: worker.memoryMb };
}

/**
 * The V8 heap limit this process runs with, in MB of old space (what `--max-old-space-size` sets; V8's
 * heap_size_limit adds the young generation to it). A process cannot raise its own: the start scripts
 * and docker-compose.yml pass `--max-old-space-size=$WORKER_MEMORY_MB`, which holds for the workflow
 * thread too.
 */
export function heapLimitMb(heapSizeLimitBytes = v8.getHeapStatistics().heap_size_limit): number {
  return Math.round(heapSizeLimitBytes / MIB);
}

/** How far the heap limit may stray from the budget before the worker warns (the young generation, 16–64 MB). */
const HEAP_LIMIT_SLACK_MB = 96;

/**
 * A warning when the process was not started with the budget as its heap limit (a launcher without
 * the flag): with Node's default (a quarter of the machine's memory, up to 4 GB) V8 lets garbage pile
 * up far past the budget; with a smaller one the cache may not fit.
 */
export function heapLimitWarning(plan: WorkerMemoryPlan, heapMb = heapLimitMb()): string | undefined {
  if (Math.abs(heapMb - plan.memoryMb) <= HEAP_LIMIT_SLACK_MB) return undefined;
  return (
    `[worker] V8 heap limit ${heapMb} MB, not the budget of ${plan.memoryMb} MB (WORKER_MEMORY_MB): ` +
    `start node with --max-old-space-size=${plan.memoryMb} (工作进程的 V8 堆上限与内存预算不符)`
  );
}

/** The start-up line: the cache size and where it came from. */
export function describePlan(plan: WorkerMemoryPlan, heapMb = heapLimitMb()): string {
  const why =
    plan.source === 'override'
      ? 'WORKER_MAX_CACHED_WORKFLOWS'
      : `WORKER_MEMORY_MB=${plan.memoryMb}: (${plan.memoryMb} − ${WORKER_BASE_MB} MB base) / ${CACHED_CASE_MB} MB a cached case`;
  return `[worker] workflow cache of ${plan.maxCachedWorkflows} workflows (${why}); V8 heap limit ${heapMb} MB`;
}
