import v8 from 'node:v8';
import type { AppConfig } from '../../../libs/config';

const MIB = 1024 * 1024;

/**
 * Both figures below are the worker's peak resident memory (VmHWM) in two full `npm run bench` runs on this
 * machine (Node 20, @temporalio/worker 1.24, its default reuseV8Context) at the same scale and load —
 * 5,000 cases designated, 1,000 taken through the playbook 16 at a time — that differed only in the cache:
 * 506 cached cases peaked at 917 MB, 150 at 521 MB (2026-12-04). A straight line through the two gives
 * the base (its intercept) and the cost of a cached case (its slope).
 *
 * What the worker process takes besides its cached cases, in MB: Node and the Temporal SDK's core, the
 * workflow bundle in the workflow thread's V8 context, the activities with their PostgreSQL pool, the
 * Temporal connections (249–255 MB idle, polling), and the work in flight: activities, replays of cases
 * outside the cache, garbage between collections, memory the allocator keeps.
 */
export const WORKER_BASE_MB = 354;

/**
 * What one cached case workflow adds to the worker's peak resident memory under load, in MB (the slope
 * above). At 512 MB the cache holds 142 cases.
 *
 * At rest a cached case costs far less: 0.27–0.31 MB, the slope of RSS against cached cases with a cache
 * larger than all of them (`node dist/bench/worker-memory.js`: freshly designated cases, each waited for,
 * libs/ preloaded once in the shared context, create-worker.ts SHARED_WORKFLOW_MODULES), of which 0.21 is
 * the SDK's own for any cached workflow. That figure (0.33 with a margin) sized the cache before and held
 * 506 cases in 512 MB, which went 400 MB past the budget under load (likely: a case through its playbook
 * holds more state and history, and V8 lets its heap grow with what stays alive between collections).
 * The smaller cache cost no speed: the playbook only needs the 16 cases in flight cached (424 and 446 s
 * with 150 and 142, 461 s with 506), and a quarter's wake-up of 5,000 cases replays most of them either
 * way (163.7 and 198.3 s, against 163–195 s with 506). Not all of it is in the V8 heap, so the heap limit
 * cannot bound it; the cache size must.
 */
export const CACHED_CASE_MB = 1.11;

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

/**
 * How far V8's heap limit may lie above the budget before the worker warns: the young generation it adds to
 * the old space set by the flag — 48 MB on Node 20, 192 MB on Node 24 (the image's line).
 */
const YOUNG_GENERATION_ALLOWANCE_MB = 256;

/**
 * A warning when the process was not started with the budget as its heap limit (a launcher without
 * the flag): with Node's default (4 GB on this machine) nothing makes V8 collect before its heap has
 * grown far past the budget in a busy hour; with a smaller one the cache may not fit.
 */
export function heapLimitWarning(plan: WorkerMemoryPlan, heapMb = heapLimitMb()): string | undefined {
  if (heapMb >= plan.memoryMb && heapMb - plan.memoryMb <= YOUNG_GENERATION_ALLOWANCE_MB) return undefined;
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
