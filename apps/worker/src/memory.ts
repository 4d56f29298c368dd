import v8 from 'node:v8';
import type { AppConfig } from '../../../libs/config';

const MIB = 1024 * 1024;

/**
 * Measured on this machine (Node 20, @temporalio/worker 1.24, its default reuseV8Context): the built
 * worker (`node dist/apps/worker/src/main.js`) on the jest stack's dev server and database, case
 * workflows started one after another through the contract in libs/contracts, each waited for
 * (first workflow task and its syncCase activity done), RSS read from /proc/<pid>/status.
 *
 * What the worker process takes besides its cached cases, in MB of resident memory: Node and the
 * Temporal SDK's core, the workflow bundle in the workflow thread's V8 context, the activities with
 * their PostgreSQL pool, the Temporal connections (249–255 MB idle, polling), and the work in flight:
 * activities, replays of cases outside the cache, garbage between collections, memory the allocator
 * keeps. Under load the worker peaked 268–345 MB above what its cached cases account for below: 530 MB
 * with 623 cached (2,000 cases open, 300 of them taken through the whole playbook), 577 MB with 552
 * cached (1,500 cases open, taken through the playbook). The larger is kept. Sharing libs/ between the
 * cached workflows (CACHED_CASE_MB) did not move it: idle 253–256 MB before and after.
 */
export const WORKER_BASE_MB = 345;

/**
 * What one cached case workflow adds to the worker's resident memory, in MB. Measured as the slope of
 * RSS against cached cases with a cache larger than all of them (`node dist/bench/worker-memory.js`,
 * designated cases in steps of 200–250). Not all of it is in the V8 heap (2,000 cached cases once took
 * 925 MB under a 512 MB heap limit): the heap limit cannot bound it, the cache size must.
 *
 * Each workflow used to instantiate the whole domain again (the SDK's reused V8 context gives every
 * workflow a module cache of its own): 0.42 over the first 500 cases, 0.38–0.39 over the first 1,000
 * with bench/worker-memory.ts (0.33 over 2,000; 966 MB at 2,000). With libs/ preloaded once in the
 * shared context (create-worker.ts, SHARED_WORKFLOW_MODULES): 0.29–0.31 over the first 1,000, 0.27 over
 * 2,000 (835 MB at 2,000). Of that, 0.21 is the SDK's own for any cached workflow (an empty one taking
 * Updates: its state in the core and the workflow's activator). The figure kept, 0.33, is the higher
 * measurement with the margin the earlier figure kept above the same measurement (0.42 against 0.39): a
 * case further through its playbook holds more state. At 512 MB the cache holds 506 cases (397 before).
 */
export const CACHED_CASE_MB = 0.33;

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
 * the flag): with Node's default (4 GB on this machine) nothing makes V8 collect before its heap has
 * grown far past the budget in a busy hour; with a smaller one the cache may not fit.
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
