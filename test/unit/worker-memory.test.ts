import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { caseWorkflowCode, SHARED_WORKFLOW_MODULES } from '../../apps/worker/src/create-worker';
import { ConfigError, loadConfig } from '../../libs/config';
import { CACHED_CASE_MB, heapLimitWarning, WORKER_BASE_MB, workerMemoryPlan } from '../../apps/worker/src/memory';
import { quietTemporalRuntime } from '../support/harness';

/**
 * The worker's memory (issue 17): its workflow cache is sized by a memory budget, WORKER_MEMORY_MB,
 * not left at the SDK's default from the heap limit (about 2,300 workflows and 1.8 GB here);
 * WORKER_MAX_CACHED_WORKFLOWS stays as an explicit override.
 */
const valid = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/rectification', TEMPORAL_ADDRESS: '127.0.0.1:7233' };
const workerConfig = (env: Record<string, string> = {}) => loadConfig('worker', { ...valid, ...env }).worker;
const cacheFor = (env: Record<string, string> = {}) => workerMemoryPlan(workerConfig(env)).maxCachedWorkflows;

describe('the worker sizes its workflow cache by its memory budget', () => {
  it('keeps 512 MB by default, and caches what fits in it after its base', () => {
    expect(workerConfig().memoryMb).toBe(512);
    const cache = cacheFor();
    // Hundreds of cases, not the SDK's 2,300: the cached cases and the base stay within the budget.
    expect(cache).toBeGreaterThan(100);
    expect(WORKER_BASE_MB + cache * CACHED_CASE_MB).toBeLessThanOrEqual(512);
    expect(WORKER_BASE_MB + (cache + 1) * CACHED_CASE_MB).toBeGreaterThan(512);
  });

  it('follows the budget: more memory, more cached cases, each within its budget', () => {
    const budgets = [384, 400, 512, 1024, 2048, 8192];
    const caches = budgets.map((mb) => cacheFor({ WORKER_MEMORY_MB: String(mb) }));
    for (let i = 1; i < caches.length; i++) expect(caches[i]).toBeGreaterThan(caches[i - 1]);
    budgets.forEach((mb, i) => expect(WORKER_BASE_MB + caches[i] * CACHED_CASE_MB).toBeLessThanOrEqual(mb));
    // Another 512 MB buys the same number of cases, whatever the budget.
    expect(cacheFor({ WORKER_MEMORY_MB: '1536' }) - cacheFor({ WORKER_MEMORY_MB: '1024' })).toBeCloseTo(512 / CACHED_CASE_MB, -1);
    // The smallest budget still caches the two workflows the SDK needs at least.
    expect(caches[0]).toBeGreaterThanOrEqual(2);
  });

  it('lets WORKER_MAX_CACHED_WORKFLOWS win over the budget', () => {
    expect(workerMemoryPlan(workerConfig({ WORKER_MAX_CACHED_WORKFLOWS: '3000', WORKER_MEMORY_MB: '512' }))).toMatchObject({ maxCachedWorkflows: 3000, source: 'override' });
    expect(workerMemoryPlan(workerConfig({ WORKER_MEMORY_MB: '512' })).source).toBe('budget');
  });

  it('warns when the process was started without the budget as its heap limit', () => {
    const plan = workerMemoryPlan(workerConfig({ WORKER_MEMORY_MB: '512' }));
    // V8's limit with --max-old-space-size=512 is the old space and the young generation: 560 MB on Node 20,
    // 704 MB on Node 24 (the image's line). Both as asked.
    expect(heapLimitWarning(plan, 560)).toBeUndefined();
    expect(heapLimitWarning(plan, 704)).toBeUndefined();
    // A flag below the budget: the cache may not fit.
    expect(heapLimitWarning(plan, 432)).toContain('--max-old-space-size=512');
    // Node's default here (a quarter of the machine's memory): the flag is missing, and the warning says which.
    expect(heapLimitWarning(plan, 4144)).toContain('--max-old-space-size=512');
    expect(heapLimitWarning(plan, 4144)).toContain('WORKER_MEMORY_MB');
  });
});

describe('the cached workflows share the domain', () => {
  beforeAll(() => quietTemporalRuntime());

  it('loads libs/ once for all workflows, and every recorded history replays the same with it', async () => {
    // What the workflows import from libs/ (and, with them, the rest of libs/ they reach) is shared.
    expect(SHARED_WORKFLOW_MODULES).toEqual(expect.arrayContaining([require.resolve('../../libs/domain/case/machine'), require.resolve('../../libs/contracts/rectify-case')]));
    const dir = path.join(__dirname, '..', 'fixtures', 'histories');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.binpb')).sort();
    const histories = files.map((f) => ({ workflowId: path.basename(f, '.binpb'), history: temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, f))) }));
    // One worker, one reused V8 context: each case runs after the others on the same shared modules, so
    // state one left in them would change what the next one does and fail its replay.
    const results: ReplayResult[] = [];
    for await (const result of Worker.runReplayHistories(caseWorkflowCode(), histories)) results.push(result);
    expect(results.map((r) => [r.workflowId, r.error?.message])).toEqual(histories.map((h) => [h.workflowId, undefined]));
  });
});

describe('WORKER_MEMORY_MB at start-up', () => {
  it.each(['0', '100', '256', '383', '65537', 'abc', '512MB', '-512', '1.5'])('refuses WORKER_MEMORY_MB=%s with a message in Chinese naming it', (value) => {
    let error: unknown;
    try {
      loadConfig('worker', { ...valid, WORKER_MEMORY_MB: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const [problem, ...others] = (error as ConfigError).problems;
    expect(others).toEqual([]);
    expect(problem).toContain('WORKER_MEMORY_MB');
    expect(problem).toContain(`"${value}"`);
    expect(problem).toContain('工作进程的内存预算须为 384 至 65536 之间的整数，单位 MB');
  });

  it('accepts the range 384–65536', () => {
    expect(workerConfig({ WORKER_MEMORY_MB: '384' }).memoryMb).toBe(384);
    expect(workerConfig({ WORKER_MEMORY_MB: '65536' }).memoryMb).toBe(65536);
  });

  it('makes the compiled worker log the size it chose at start, and warn when node was not given the budget as heap limit', () => {
    const entry = path.join(__dirname, '..', '..', 'dist', 'apps', 'worker', 'src', 'main.js');
    // Nothing listens there: the worker stops on its first connection, after the line about its memory.
    const env = { PATH: process.env.PATH, DATABASE_URL: 'postgres://u:p@127.0.0.1:1/rectification', TEMPORAL_ADDRESS: '127.0.0.1:1', WORKER_METRICS_PORT: 'off', LOG_FORMAT: 'json', WORKER_MEMORY_MB: '768' };
    const expected = workerMemoryPlan(workerConfig({ WORKER_MEMORY_MB: '768' })).maxCachedWorkflows;
    const run = (nodeArgs: string[]) => spawnSync(process.execPath, [...nodeArgs, entry], { env, encoding: 'utf8', timeout: 30000 }).stdout;

    const flagged = run(['--max-old-space-size=768']);
    expect(flagged).toContain(`workflow cache of ${expected} workflows (WORKER_MEMORY_MB=768`);
    expect(flagged).not.toContain('--max-old-space-size');

    const bare = run(['--max-old-space-size=2048']);
    expect(bare).toContain(`workflow cache of ${expected} workflows`);
    expect(bare).toContain('start node with --max-old-space-size=768');
  });

  it('stops the compiled worker at once with exit status 78 and that message', () => {
    const entry = path.join(__dirname, '..', '..', 'dist', 'apps', 'worker', 'src', 'main.js');
    const res = spawnSync(process.execPath, [entry], { env: { PATH: process.env.PATH, ...valid, WORKER_MEMORY_MB: '64' }, encoding: 'utf8', timeout: 30000 });
    expect(res.status).toBe(78);
    expect(res.stderr).toContain('WORKER_MEMORY_MB');
    expect(res.stderr).toContain('工作进程的内存预算');
  });
});
