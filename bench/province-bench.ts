import 'reflect-metadata';
import { JwtService } from '@nestjs/jwt';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection';
import { msToTs, tsToMs } from '@temporalio/common/lib/time';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer } from 'node:http';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { demoBatchDates, type DemoCourse } from '../apps/api/src/demo/demo-history';
import { workerMemoryPlan } from '../apps/worker/src/memory';
import { caseIdFor, DEFAULT_POLICY, shanghaiDateOf, startOfShanghaiDay, type Actor, type CaseState, type LocalDate, type UserRole } from '../libs/domain';
import { DEFAULT_WORKER_GRPC_COMPRESSION } from '../libs/config';
import { dataSourceOptions } from '../libs/persistence';
import { executeCaseCommand, queryCaseState, startRectifyCase, TemporalClientConnection } from '../libs/temporal';
import { countyUser, overviewStatements, timeStatements } from './bare-sql';
import { addReaders, addTeamUsers, buildDataset, type BenchCounty, type Dataset } from './dataset';
import { emptyCase, finishSignal, noopUpdate, startEmpty } from './empty-workflows';
import { persistenceRequests, requestsPer } from './temporal-persistence';
import type { CaseSlot } from './national-dataset';
import { projectCasesDirectly, PROJECTED_LABEL } from './project-directly';
import { percentiles, printReport, type BenchReport } from './report';
import { targetRows } from './targets';
import { pool } from './pool';
import { BenchHttpClient } from './http-client';
import { cpuPerOperation, processCpuNow } from './process-cpu';
import { machineProbe } from './machine-probe';

/**
 * `npm run bench` (started by scripts/bench.js with PostgreSQL, a Temporal dev server, the worker and
 * the API running): builds a province-scale data set and measures designation, the playbook over
 * HTTP, list, dashboard and roll-up latency under load, the quarter-start burst of notices, and peak
 * memory — each next to a baseline of the bare platform where one makes sense — and ends with issue
 * 17's targets (bench/targets.ts).
 * BENCH_ONLY=reads measures the read side alone in a few minutes: the same data set, its cases written
 * straight into PostgreSQL through the projection code instead of through Temporal, then the same latency
 * under load. BENCH_ONLY=burst runs the quarter-start burst alone.
 */
const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run the benchmark with npm run bench)`);
  return v;
};

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SHAPE = { counties: 20, townshipsPerCounty: 25, villagesPerTownship: 100 };
const RUNNING_CASES = Math.round(5000 * SCALE);
const HTTP_CASES = Math.round(1000 * SCALE);
const BURST_CASES = Number(process.env.BENCH_BURST_CASES ?? RUNNING_CASES);
/** Worker processes on the burst's task queue (the burst's target says how many). */
const BURST_WORKERS = Math.max(1, Number(process.env.BENCH_BURST_WORKERS ?? 1));
const START_CONCURRENCY = 32;
const HTTP_CASE_CONCURRENCY = 16;
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 15);
const LOAD_CONNECTIONS = 16;
/** BENCH_ONLY=reads: the read side alone, its cases written straight into PostgreSQL (see writeCasesDirectly). */
const READS_ONLY = process.env.BENCH_ONLY === 'reads';
/** Cases written at a time in BENCH_ONLY=reads (as the national bench writes them). */
const WRITE_CONCURRENCY = 8;
const BATCH_YEAR = Number(shanghaiDateOf(Date.now()).slice(0, 4));

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** The Temporal server's persistence requests and every process's CPU so far, to tell what a span of the run cost. */
async function costsSoFar() {
  return { requests: await persistenceRequests(), cpu: processCpuNow() };
}

/** Peak resident memory of a process (VmHWM), in MB. */
function peakMemoryMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

interface Person {
  id: string;
  role: UserRole;
  regionId: string;
  name: string;
  title: string;
}

class Api {
  private readonly tokens = new Map<string, string>();
  private readonly http: BenchHttpClient;
  constructor(
    readonly base: string,
    private readonly jwt: JwtService,
    private readonly people: Map<string, Person>,
  ) {
    // As many connections as requests the driver keeps in flight (designation's START_CONCURRENCY is the most).
    this.http = new BenchHttpClient(base, Math.max(START_CONCURRENCY, HTTP_CASE_CONCURRENCY));
  }

  token(userId: string): string {
    let t = this.tokens.get(userId);
    if (!t) {
      const p = this.people.get(userId);
      if (!p) throw new Error(`unknown user ${userId}`);
      t = this.jwt.sign({ sub: p.id, role: p.role, regionId: p.regionId });
      this.tokens.set(userId, t);
    }
    return t;
  }

  async post(userId: string, url: string, body: unknown, expect: number[] = [200, 201]): Promise<{ id: string; state: CaseState }> {
    const { status, json } = await this.http.postJson<{ id: string; state: CaseState }>(url, { authorization: `Bearer ${this.token(userId)}` }, body);
    if (!expect.includes(status)) throw new Error(`POST ${url}: ${status} ${JSON.stringify(json).slice(0, 400)}`);
    return json;
  }

  close(): void {
    this.http.close();
  }
}

function actorOf(p: Person): Actor {
  return { id: p.id, name: p.name, role: p.role };
}

const TEAM = [
  { name: '张科', rank: 'section', unit: '县农业农村局', isLeader: true },
  { name: '刘员', rank: 'staff', unit: '镇政府' },
  { name: '陈员', rank: 'staff', unit: '镇财政所' },
];
const CONSULTATIONS = ['party_members_meeting', 'villager_representatives_meeting', 'household_visits', 'heart_to_heart_talks'];

interface PlannedCase {
  organizationId: string;
  county: BenchCounty;
  township: BenchCounty['townships'][number];
  leaderId: string;
}

/** Spreads `n` cases over every township of every county, a few per township. */
function pickCases(dataset: Dataset, n: number, offset = 0): PlannedCase[] {
  const slots: PlannedCase[] = [];
  for (let round = offset; slots.length < n; round++) {
    for (const county of dataset.counties) {
      for (const [ti, township] of county.townships.entries()) {
        if (slots.length >= n) break;
        const organizationId = township.organizationIds[round];
        if (!organizationId) throw new Error('not enough organizations for the cases asked');
        slots.push({ organizationId, county, township, leaderId: county.leaderIds[(round + ti) % county.leaderIds.length] });
      }
    }
  }
  return slots;
}

/** WORKER_MEMORY_MB's default (libs/config), which the worker takes when the environment has none. */
const DEFAULT_WORKER_MEMORY_MB = 512;

/** The worker's memory budget and the workflow cache it gives, as the worker itself works them out (scripts/bench.js passes the same environment). */
function workerSettings(): Record<string, unknown> {
  const override = Number(process.env.WORKER_MAX_CACHED_WORKFLOWS);
  const plan = workerMemoryPlan({ memoryMb: Number(process.env.WORKER_MEMORY_MB ?? DEFAULT_WORKER_MEMORY_MB), ...(override > 0 ? { maxCachedWorkflows: override } : {}) });
  return { memoryBudgetMb: plan.memoryMb, maxCachedWorkflows: plan.maxCachedWorkflows, cacheFrom: plan.source === 'override' ? 'WORKER_MAX_CACHED_WORKFLOWS' : 'WORKER_MEMORY_MB' };
}

async function main(): Promise<void> {
  const report: BenchReport = { scale: SCALE, startedAt: new Date().toISOString(), figures: {} };
  const f = report.figures;
  f.machine = machineProbe();
  if (READS_ONLY) f.readsOnly = { cases: `${RUNNING_CASES} cases ${PROJECTED_LABEL}`, note: 'BENCH_ONLY=reads: only the read-side figures, no designation, playbook or burst' };
  else f.worker = workerSettings();
  const ds = new DataSource(dataSourceOptions(env('DATABASE_URL')));
  await ds.initialize();
  const tag = Date.now().toString(36).slice(-5).toUpperCase();

  // ---- data set ------------------------------------------------------------------------------
  log(`building the data set: ${SHAPE.counties} counties × ${SHAPE.townshipsPerCounty} townships × ${SHAPE.villagesPerTownship} villages`);
  const t0 = performance.now();
  const dataset = await buildDataset(ds, SHAPE, tag);
  const httpCases = pickCases(dataset, HTTP_CASES);
  const otherCases = pickCases(dataset, RUNNING_CASES - HTTP_CASES, Math.ceil(HTTP_CASES / (SHAPE.counties * SHAPE.townshipsPerCounty)) + 1);
  const teams = await addTeamUsers(ds, httpCases.map((c) => c.organizationId));
  // The loaded dashboards' readers: one person per connection (see addReaders).
  const busiest = dataset.counties[0];
  const countyReaders = await addReaders(ds, busiest.id, 'county_org_admin', LOAD_CONNECTIONS, tag);
  const provinceReaders = await addReaders(ds, dataset.province.id, 'province_org_admin', LOAD_CONNECTIONS, tag);
  const peopleRows: { id: string; role: UserRole; region_id: string; display_name: string; title: string }[] = await ds.query(
    `SELECT u.id, u.role, u.region_id, u.display_name, u.title FROM app_user u JOIN region r ON r.id = u.region_id WHERE r.code LIKE $1 OR r.id = $2`,
    [`B${tag}%`, dataset.province.id],
  );
  const people = new Map(peopleRows.map((p) => [p.id, { id: p.id, role: p.role, regionId: p.region_id, name: p.display_name, title: p.title }]));
  f.dataset = { organizations: dataset.organizations, regions: dataset.regions, users: people.size, seconds: round((performance.now() - t0) / 1000) };
  log(`data set: ${dataset.organizations} organizations, ${dataset.regions} regions, ${people.size} users`);

  const api = new Api(env('API_URL'), new JwtService({ secret: env('JWT_SECRET'), signOptions: { expiresIn: '12h' } }), people);
  if (process.env.BENCH_ONLY === 'burst') {
    f.quarterStartBurst = await quarterStartBurst(ds, dataset, people, tag);
    finish(report);
    process.exit(0);
  }
  if (READS_ONLY) {
    f.casesWrittenDirectly = await writeCasesDirectly(ds, httpCases, otherCases, people);
    Object.assign(f, await latencyUnderLoad(ds, api, dataset, { county: countyReaders, province: provinceReaders }, f.casesWrittenDirectly.batchYear as number, PROJECTED_LABEL));
    f.peakMemoryMb = { api: peakMemoryMb(Number(process.env.API_PID)), benchDriver: peakMemoryMb(process.pid) };
    finish(report);
    const out = process.env.BENCH_RESULTS_FILE;
    if (out) fs.writeFileSync(out, JSON.stringify(report, null, 2));
    await ds.destroy();
    return;
  }
  const connection = await TemporalClientConnection.connect({ address: env('TEMPORAL_ADDRESS') });
  const client = new Client({ connection: connection.connection });
  const today: LocalDate = shanghaiDateOf(Date.now());

  // ---- baseline: empty workflows on the same server -----------------------------------------
  const baselineQueue = `bench-baseline-${tag}`;
  const baselineWorker = await Worker.create({
    // Connected as the case worker connects by default: the same client work.
    connection: await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS'), grpcCompression: { codec: DEFAULT_WORKER_GRPC_COMPRESSION } }),
    taskQueue: baselineQueue,
    workflowsPath: require.resolve('./empty-workflows'),
    bundlerOptions: { ignoreModules: [] },
  });
  const baselineRun = baselineWorker.run();
  log(`baseline: starting ${RUNNING_CASES} empty workflows`);
  const beforeEmpty = await costsSoFar();
  const emptyIds = Array.from({ length: RUNNING_CASES }, (_, i) => `bench-empty-${tag}-${i}`);
  const emptyMs = await pool(emptyIds, START_CONCURRENCY, async (id) => {
    const h = await client.workflow.start(startEmpty, { taskQueue: baselineQueue, workflowId: id });
    await h.result();
  }, log);
  f.emptyWorkflowStarts = { count: RUNNING_CASES, seconds: round(emptyMs / 1000), perSecond: round(RUNNING_CASES / (emptyMs / 1000)) };

  const afterEmpty = await costsSoFar();

  // ---- designation: every running case, by HTTP (start + first projection) --------------------
  const all = [...httpCases, ...otherCases];
  log(`designating ${all.length} cases through POST /api/cases`);
  const designateMs = await pool(all, START_CONCURRENCY, async (c) => {
    await api.post(c.county.adminId, '/api/cases', { organizationId: c.organizationId, batchYear: BATCH_YEAR, reasons: ['C1', 'C4'], note: '书记长期缺职，组织生活不正常（基准测试）' }, [201]);
  }, log);
  const afterDesignation = await costsSoFar();
  const [{ projected }] = await ds.query(`SELECT count(*)::int AS projected FROM rectification_case WHERE id = ANY($1)`, [all.map((c) => caseIdFor(c.organizationId, BATCH_YEAR))]);
  f.designation = {
    count: all.length,
    projected,
    seconds: round(designateMs / 1000),
    perSecond: round(all.length / (designateMs / 1000)),
    baselinePerSecond: f.emptyWorkflowStarts.perSecond,
    ratioToBaseline: round(all.length / (designateMs / 1000) / (f.emptyWorkflowStarts.perSecond as number), 3),
  };

  // ---- a realistic spread of the other cases (Temporal client, not timed against a baseline) -----
  log(`spreading ${otherCases.length} cases over the stages (contact leaders, teams, visits, problems)`);
  let spreadUpdates = 0;
  const spreadMs = await pool(otherCases, START_CONCURRENCY, async (c, i) => {
    const caseId = caseIdFor(c.organizationId, BATCH_YEAR);
    const admin = actorOf(people.get(c.county.adminId)!);
    const leader = people.get(c.leaderId)!;
    const sec = actorOf(people.get(c.township.secretaryId)!);
    const run = async <K extends Parameters<typeof executeCaseCommand>[2]>(name: K, input: Parameters<typeof executeCaseCommand<K>>[3]) => {
      await executeCaseCommand(client, caseId, name, input);
      spreadUpdates++;
    };
    // A quarter just designated; a quarter with a contact leader; half rectifying, some with visits
    // and a confirmed problem list.
    if (i % 4 === 0) return;
    await run('assignContactLeader', { actor: admin, leader: { id: leader.id, name: leader.name, title: leader.title, isCountyPartySecretary: false } });
    if (i % 4 === 1) return;
    await run('appointTeam', { actor: sec, arrivedOn: today, members: TEAM as never });
    if (i % 4 === 2) await run('recordGuidanceVisit', { actor: actorOf(leader), visitedOn: today, place: '村党群服务中心', summary: '听取汇报' });
    if (i % 10 === 3) {
      for (const n of [1, 2]) await run('addProblem', { actor: sec, description: `问题${n}：组织生活不正常`, reasonCode: 'C4', cureTag: '治散', rootCause: '书记缺位', evidence: '会议记录空白' } as never);
      await run('confirmProblemList', { actor: sec });
    }
  }, log);
  f.spread = { cases: otherCases.length, updates: spreadUpdates, seconds: round(spreadMs / 1000), updatesPerSecond: round(spreadUpdates / (spreadMs / 1000)) };
  const stages: { stage: string; n: number }[] = await ds.query(`SELECT stage, count(*)::int AS n FROM rectification_case WHERE batch_year = $1 GROUP BY stage ORDER BY stage`, [BATCH_YEAR]);
  f.stages = Object.fromEntries(stages.map((s) => [s.stage, s.n]));

  // ---- the whole playbook by HTTP for HTTP_CASES cases, and its baseline -------------------------
  log(`driving ${httpCases.length} cases through the whole playbook by HTTP (${HTTP_CASE_CONCURRENCY} cases at a time)`);
  let httpRequests = 0;
  /** Actions each case took (the no-op baseline sends the same number per empty workflow). */
  const actionsPerCase = httpCases.map(() => 0);
  let inspectionsPassed = 0;
  let scorings = 0;
  const beforePlaybook = await costsSoFar();
  const playbookMs = await pool(httpCases, HTTP_CASE_CONCURRENCY, async (c, i) => {
    const caseId = caseIdFor(c.organizationId, BATCH_YEAR);
    const team = teams.get(c.organizationId)!;
    const sec = c.township.secretaryId;
    const admin = c.county.adminId;
    const send = async (user: string, p: string, body: unknown = {}) => {
      httpRequests++;
      actionsPerCase[i]++;
      return (await api.post(user, `/api/cases/${caseId}${p}`, body)).state;
    };
    // Every action, then the county's sign-off (督导把关) of any step its answer shows waiting for it
    // (problem list, plan, acceptance request), when the case's practice asks for one.
    const act = async (user: string, p: string, body: unknown = {}) => {
      let s = await send(user, p, body);
      for (let w = pendingInspection(s); w; w = pendingInspection(s)) {
        s = await send(admin, '/inspections/pass', { inspectionId: w.id, opinion: '经督导把关，同意' });
        inspectionsPassed++;
      }
      return s;
    };
    await act(admin, '/contact-leader', { leaderUserId: c.leaderId });
    await act(sec, '/team', { arrivedOn: today, members: TEAM });
    await act(c.leaderId, '/visits', { visitedOn: today, place: '村党群服务中心', summary: '听取汇报，走访党员群众' });
    const problems: string[] = [];
    for (const n of [1, 2]) {
      const s = await act(team.leaderId, '/problems', { description: `问题${n}：三会一课不正常`, reasonCode: 'C4', cureTag: '治散', rootCause: '支部书记缺位', evidence: '会议记录本空白' });
      problems.push(s.problems[s.problems.length - 1].id);
    }
    await act(sec, '/problem-list/confirm');
    for (const kind of CONSULTATIONS) await act(team.memberId, '/consultations', { kind, heldOn: today, participants: 12, summary: '征求意见建议' });
    const measures: string[] = [];
    for (const p of problems) {
      const s = await act(team.leaderId, '/measures', { description: `整改 ${p}`, problemIds: [p], owner: '张科', dueOn: `${BATCH_YEAR}-12-31` });
      measures.push(s.measures[s.measures.length - 1].id);
    }
    await act(sec, '/plan/approve');
    for (const m of measures) await act(team.memberId, `/measures/${m}/progress`, { percent: 100, note: '已完成' });
    for (const p of problems) await act(team.leaderId, `/problems/${p}/close`, { fixEvidence: '会议记录3份、整改前后照片12张' });
    await act(sec, '/secretary', { name: '周新书', source: 'from_village', appointedOn: today });
    await act(admin, '/trainings', { secretaryName: '周新书', session: '软弱涣散党组织书记专题培训班', attendedOn: today, evidence: '培训签到表、结业证书' });
    await act(team.leaderId, '/projects', { name: '村集体光伏电站', kind: '光伏发电', supportFunds: 500000, startOn: today, expectedYearlyIncome: 60000 });
    await act(c.leaderId, '/practical-things', { title: '修通村组道路', description: '硬化道路1.2公里', doneOn: today, evidence: '村民代表签字的验收单、竣工照片' });
    let s = await act(sec, '/acceptance/request', { summary: '各项整顿任务已完成' });
    // Scored acceptance (验收评分) when the case's practice carries a form: every item at its maximum.
    const form = s.practice?.acceptanceForm;
    if (form) {
      s = await act(admin, '/acceptance/score', {
        items: form.areas.flatMap((a) => a.items.map((item) => ({ code: item.code, score: item.max }))),
        survey: { asked: 30, satisfied: 28, dissatisfied: 1 },
        note: '验收组逐项评分',
      });
      scorings++;
    }
    s = await act(admin, '/acceptance', { opinion: '经验收，已转化提升' });
    if (!s.acceptedAt) throw new Error(`${caseId} was not accepted`);
  }, log);
  const afterPlaybook = await costsSoFar();
  const baselineUpdates = actionsPerCase.reduce((a, b) => a + b, 0);
  log(`baseline: ${httpCases.length} empty workflows, ${baselineUpdates} no-op Updates in all (each as many as its case's actions)`);
  const emptyCaseIds = httpCases.map((_, i) => `bench-emptycase-${tag}-${i}`);
  const emptyPlaybookMs = await pool(emptyCaseIds, HTTP_CASE_CONCURRENCY, async (id, i) => {
    const h = await client.workflow.start(emptyCase, { taskQueue: baselineQueue, workflowId: id });
    for (let k = 0; k < actionsPerCase[i]; k++) await h.executeUpdate(noopUpdate, { args: [{}] });
    await h.signal(finishSignal);
  }, log);
  const afterNoop = await costsSoFar();
  const [{ accepted }] = await ds.query(`SELECT count(*)::int AS accepted FROM rectification_case WHERE id = ANY($1) AND accepted_at IS NOT NULL`, [
    httpCases.map((c) => caseIdFor(c.organizationId, BATCH_YEAR)),
  ]);
  f.playbookByHttp = {
    cases: httpCases.length,
    accepted,
    requests: httpRequests,
    inspectionsPassed,
    scorings,
    seconds: round(playbookMs / 1000),
    requestsPerSecond: round(httpRequests / (playbookMs / 1000)),
    baselineUpdates,
    baselineSeconds: round(emptyPlaybookMs / 1000),
    ratioToBaseline: round(playbookMs / emptyPlaybookMs, 2),
  };
  baselineWorker.shutdown();
  await baselineRun;
  // What each costs the Temporal server in persistence requests, read from its own metrics (see
  // temporal-persistence.ts), and every process in CPU (ms, see process-cpu.ts; the driver's includes the
  // baselines' worker).
  const spans = {
    perEmptyStart: [beforeEmpty, afterEmpty, RUNNING_CASES],
    perDesignation: [afterEmpty, afterDesignation, all.length],
    perPlaybookAction: [beforePlaybook, afterPlaybook, httpRequests],
    perNoopUpdate: [afterPlaybook, afterNoop, baselineUpdates],
  } as const;
  f.temporalPersistenceRequests = Object.fromEntries(
    Object.entries(spans).flatMap(([k, [from, to, n]]) => {
      const r = requestsPer(from.requests, to.requests, n);
      return r ? [[k, r.total], [`${k}Largest`, r.largest]] : [[k, 'not measured (no TEMPORAL_METRICS_URL)']];
    }),
  );
  f.cpuMsPerOperation = Object.fromEntries(
    Object.entries(spans).map(([k, [from, to, n]]) => {
      const c = cpuPerOperation(from.cpu, to.cpu, n);
      return [k, `${c.total} (API ${c.api}, worker ${c.worker}, Temporal ${c.temporal}, PostgreSQL ${c.postgres}, driver ${c.driver})`];
    }),
  );

  // ---- latency under load -----------------------------------------------------------------------
  Object.assign(f, await latencyUnderLoad(ds, api, dataset, { county: countyReaders, province: provinceReaders }, BATCH_YEAR));

  // ---- quarter-start burst on the time-skipping server ---------------------------------------------
  // A failure here still prints every figure measured before it (and the run exits non-zero).
  try {
    f.quarterStartBurst = await quarterStartBurst(ds, dataset, people, tag);
  } catch (err) {
    f.quarterStartBurst = { error: err instanceof Error ? err.message : String(err) };
    process.exitCode = 1;
  }

  f.peakMemoryMb = {
    api: peakMemoryMb(Number(process.env.API_PID)),
    worker: peakMemoryMb(Number(process.env.WORKER_PID)),
    burstWorker: (f.quarterStartBurst as { workerPeakMemoryMb?: number | null }).workerPeakMemoryMb ?? null,
    benchDriver: peakMemoryMb(process.pid),
  };
  finish(report);
  const out = process.env.BENCH_RESULTS_FILE;
  if (out) fs.writeFileSync(out, JSON.stringify(report, null, 2));
  api.close();
  await connection.close();
  await ds.destroy();
}

/** The end of the report: the whole run's duration so far (from scripts/bench.js's start), the targets, the table and JSON. */
function finish(report: BenchReport): void {
  report.finishedAt = new Date().toISOString();
  const startedMs = Number(process.env.BENCH_STARTED_AT_MS);
  const wholeRunSeconds = Number.isFinite(startedMs) && startedMs > 0 ? round((Date.now() - startedMs) / 1000) : null;
  if (wholeRunSeconds !== null) report.figures.wholeRun = { secondsUntilReport: wholeRunSeconds, minutes: round(wholeRunSeconds / 60), from: 'npm run bench started (install check and build included)' };
  // BENCH_ONLY=reads is not the whole benchmark: its duration is shown, not held against the target.
  report.targets = targetRows(report.figures, READS_ONLY ? null : wholeRunSeconds);
  printReport(report);
}

/** The first step of the answered state waiting for the county's sign-off (督导把关), if any. */
function pendingInspection(state: CaseState): { id: string } | undefined {
  return state.inspections?.find((x) => x.status === 'pending');
}

function round(x: number, digits = 1): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

/**
 * `LOAD_CONNECTIONS` clients hammer one GET for `LOAD_SECONDS`, spread evenly over the tokens given (one
 * person per connection where the API limits a user's heavy reads); exact percentiles from the response
 * times of the answers with 200 — anything else counts as an error.
 */
async function load(url: string, tokens: string[]): Promise<Record<string, number>> {
  const times: number[] = [];
  let errors = 0;
  const results = await Promise.all(
    tokens.map(
      (token, i) =>
        new Promise<autocannon.Result>((resolve, reject) => {
          const connections = Math.floor(LOAD_CONNECTIONS / tokens.length) + (i < LOAD_CONNECTIONS % tokens.length ? 1 : 0);
          const instance = autocannon({ url, connections, duration: LOAD_SECONDS, headers: { authorization: `Bearer ${token}` } }, (err, r) => (err ? reject(err) : resolve(r)));
          instance.on('response', (_client, statusCode, _bytes, responseTime) => {
            if (statusCode === 200) times.push(responseTime);
            else errors++;
          });
        }),
    ),
  );
  const p = percentiles(times, [50, 95, 99]);
  const failed = results.reduce((n, r) => n + r.errors + r.timeouts, 0);
  return { requests: times.length, errors: errors + failed, requestsPerSecond: round(times.length / LOAD_SECONDS), p50Ms: round(p[50]), p95Ms: round(p[95]), p99Ms: round(p[99]) };
}

/**
 * BENCH_ONLY=reads: the run's cases (the playbook's and the others, the same organizations as the full
 * run's) written straight into PostgreSQL through the projection code (bench/project-directly.ts), standing
 * where the full run leaves them, give or take: the playbook's cases converted, and of the others a quarter
 * just designated, a quarter with a contact leader, half rectifying with visits, problems and measures (one
 * overdue; some without this quarter's visit, some with the problem list just confirmed). Their batch was
 * designated about nine months ago (the demo's dates), so the rectifying ones owe what such cases owe.
 */
async function writeCasesDirectly(ds: DataSource, playbookCases: PlannedCase[], otherCases: PlannedCase[], people: Map<string, Person>): Promise<Record<string, unknown>> {
  const planned = [...playbookCases, ...otherCases];
  const orgs: { id: string; name: string; region_id: string; township_id: string; county_id: string; secretary_name: string | null }[] = await ds.query(
    `SELECT id, name, region_id, township_id, county_id, secretary_name FROM organization WHERE id = ANY($1::uuid[])`,
    [planned.map((c) => c.organizationId)],
  );
  const orgOf = new Map(orgs.map((o) => [o.id, o]));
  const person = (id: string) => {
    const p = people.get(id);
    if (!p) throw new Error(`unknown user ${id}`);
    return p;
  };
  const slots: CaseSlot[] = planned.map((c) => {
    const o = orgOf.get(c.organizationId)!;
    const leader = person(c.leaderId);
    return {
      organizationId: o.id,
      organizationName: o.name,
      regionId: o.region_id,
      townshipId: o.township_id,
      countyId: o.county_id,
      secretaryName: o.secretary_name,
      admin: { id: c.county.adminId, name: person(c.county.adminId).name },
      townshipSecretary: { id: c.township.secretaryId, name: person(c.township.secretaryId).name },
      leader: { id: leader.id, name: leader.name, title: leader.title },
    };
  });
  const courseOf = (i: number): DemoCourse => {
    if (i < playbookCases.length) return { kind: 'converted', acceptedDaysAgo: 1 + (i % 30) };
    const j = i - playbookCases.length;
    if (j % 4 === 0) return { kind: 'designated', withLeader: false };
    if (j % 4 === 1) return { kind: 'designated', withLeader: true };
    if (j % 20 === 3) return { kind: 'inspection_waiting', step: 'problem_list', submittedDaysAgo: 1 + (j % 10) };
    return { kind: 'overdue', overdueDays: 1 + ((j * 13) % 60), percent: [0, 30, 60, 90][Math.floor(j / 4) % 4], visitThisQuarter: j % 4 === 2 };
  };
  const nowMs = Date.now();
  const { designatedOn, batchYear } = demoBatchDates(nowMs);
  log(`writing ${slots.length} cases (batch ${batchYear}, designated from ${designatedOn}) ${PROJECTED_LABEL}, ${WRITE_CONCURRENCY} at a time`);
  const figures = await projectCasesDirectly(ds, slots, courseOf, { designatedOn, batchYear, nowMs, note: '基准测试：省级读侧（基准数据）' }, WRITE_CONCURRENCY, log);
  log(`cases written in ${String(figures.seconds)} s`);
  return figures;
}

/**
 * The read side under load, as a township, a county and the province read it: the township task list of
 * the busiest county's first township, the county dashboard (and its bare SQL) and the province roll-up,
 * LOAD_CONNECTIONS connections × LOAD_SECONDS each. The full run and BENCH_ONLY=reads both end here;
 * `casesWere`, when given, says on every figure how the cases came to be.
 */
async function latencyUnderLoad(
  ds: DataSource,
  api: Api,
  dataset: Dataset,
  readers: { county: string[]; province: string[] },
  batchYear: number,
  casesWere?: string,
): Promise<Record<string, Record<string, unknown>>> {
  const busiest = dataset.counties[0];
  const township = busiest.townships[0];
  const how = casesWere ? { casesWere } : {};
  const [{ townshipTasks }] = await ds.query(`SELECT count(*)::int AS "townshipTasks" FROM task WHERE township_id = $1 AND status = 'open'`, [township.id]);
  const [{ countyCases }] = await ds.query(`SELECT count(*)::int AS "countyCases" FROM rectification_case WHERE county_id = $1 AND batch_year = $2`, [busiest.id, batchYear]);
  const [{ countyTasks }] = await ds.query(`SELECT count(*)::int AS "countyTasks" FROM task WHERE county_id = $1`, [busiest.id]);
  const [{ allTasks }] = await ds.query(`SELECT count(*)::int AS "allTasks" FROM task`);
  const [{ allCases }] = await ds.query(`SELECT count(*)::int AS "allCases" FROM rectification_case`);
  const [{ provinceCases }] = await ds.query(`SELECT count(*)::int AS "provinceCases" FROM rectification_case c JOIN region k ON k.id = c.county_id WHERE k.parent_id = $1 AND c.batch_year = $2`, [
    dataset.province.id,
    batchYear,
  ]);
  log(`load: township task list, county dashboard (and its bare SQL), province roll-up, ${LOAD_CONNECTIONS} connections × ${LOAD_SECONDS} s each`);
  const taskListLatency = {
    endpoint: 'GET /api/tasks?view=region&status=open&limit=20 (township party secretary)',
    ...how,
    rowsInTownship: townshipTasks,
    rowsInTable: allTasks,
    ...(await load(`${api.base}/api/tasks?view=region&status=open&limit=20`, [api.token(township.secretaryId)])),
  };
  const dashboardLatency: Record<string, unknown> = {
    endpoint: `GET /api/dashboard/overview?batchYear=${batchYear} (county organization department, ${LOAD_CONNECTIONS} people)`,
    ...how,
    casesInCounty: countyCases,
    tasksInCounty: countyTasks,
    casesInTable: allCases,
    ...(await load(`${api.base}/api/dashboard/overview?batchYear=${batchYear}`, readers.county.map((id) => api.token(id)))),
  };
  const statements = await overviewStatements(env('DATABASE_URL'), countyUser(readers.county[0], busiest.id), batchYear);
  const dashboardBareSql = {
    what: `the overview's ${statements.length} statements per request as it sends them (the scope look-up, then the others side by side), ${LOAD_CONNECTIONS} requests at a time, on a pool of the API's size`,
    ...how,
    statements: statements.length,
    ...(await timeStatements(env('DATABASE_URL'), statements, LOAD_CONNECTIONS, LOAD_SECONDS)),
  };
  dashboardLatency.ratioToBareSql = round((dashboardLatency.p95Ms as number) / (dashboardBareSql.p95Ms as number), 2);
  const rollupLatency = {
    endpoint: `GET /api/dashboard/rollup?batchYear=${batchYear} (province organization department, ${LOAD_CONNECTIONS} people)`,
    ...how,
    counties: dataset.counties.length,
    casesInProvince: provinceCases,
    ...(await load(`${api.base}/api/dashboard/rollup?batchYear=${batchYear}`, readers.province.map((id) => api.token(id)))),
  };
  return { taskListLatency, dashboardLatency, dashboardBareSql, rollupLatency };
}

/**
 * Every running case without a visit in the quarter escalates (督办) on the first day of the next:
 * on the time-skipping server, BURST_CASES cases are designated with contact leaders on 31 March, the
 * clock jumps to 1 April 09:00 (Asia/Shanghai), and we time how long until every notice due then is
 * in the inboxes and delivered to its township's webhook. (The clock moves a few hours at a time: a
 * single long unlockTimeSkippingWithSleep over weeks of reminders stalled on the Java server.)
 */
async function quarterStartBurst(ds: DataSource, dataset: Dataset, people: Map<string, Person>, tag: string): Promise<Record<string, unknown>> {
  const YEAR = 2030; // a future year with a Monday quarter start, whatever today is
  const quarterStartMs = startOfShanghaiDay('2030-04-01') + 9 * 3600_000;
  log(`burst: time-skipping server, ${BURST_CASES} cases designated on 31 March ${YEAR}, ${BURST_WORKERS} worker process${BURST_WORKERS === 1 ? '' : 'es'}`);
  const tsEnv = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: env('TEMPORAL_TEST_SERVER_PATH') } } });
  const { temporal } = await import('@temporalio/proto');
  const { IndexedValueType } = temporal.api.enums.v1;
  await tsEnv.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: { CountyId: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, TownshipId: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, BatchYear: IndexedValueType.INDEXED_VALUE_TYPE_INT, CaseStage: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD },
  });
  // The clock is moved a day at a time over a connection of its own whose keepalive the Java server
  // accepts (it refuses pings more often than every five minutes and drops the connection).
  const clock = await Connection.connect({
    address: tsEnv.address,
    channelArgs: { 'grpc.keepalive_time_ms': 10 * 60_000, 'grpc.keepalive_permit_without_calls': 0 },
    [InternalConnectionOptionsSymbol]: { supportsTestService: true },
  } as ConnectionOptions);
  const nowOnServer = async () => Number(tsToMs((await clock.testService!.getCurrentTime({})).time));
  const skipUntil = async (targetMs: number) => {
    for (let now = await nowOnServer(); now < targetMs; now = await nowOnServer()) {
      const step = Math.min(targetMs - now, 6 * 3600_000);
      await Promise.race([
        clock.testService!.unlockTimeSkippingWithSleep({ duration: msToTs(step) }),
        // Generous: at the quarter's turn every case wakes and projects before the clock goes on.
        new Promise((_, reject) => setTimeout(() => reject(new Error(`the test server's clock did not move ${step} ms within 10 minutes (at ${new Date(now).toISOString()})`)), 10 * 60_000)),
      ]);
    }
  };
  const burstQueue = `bench-burst-${tag}`;
  const workers = Array.from({ length: BURST_WORKERS }, (_, i) => spawnWorker(tsEnv.address, burstQueue, i));
  // A webhook per township of the cases, answering at once.
  let delivered = 0;
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        delivered += (JSON.parse(body) as { notices?: unknown[] }).notices?.length ?? 0;
      } catch {
        /* counted from the database anyway */
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  try {
    // Designated the day before the quarter ends: the quarter's visit is owed and nothing else falls
    // due on the way, so the clock's last jump is a short one.
    await skipUntil(startOfShanghaiDay('2030-03-31') + 10 * 3600_000);
    const cases = pickCases(dataset, BURST_CASES);
    const townships = [...new Set(cases.map((c) => c.township.id))];
    await ds.query(
      `INSERT INTO notification_channel (county_id, township_id, kind, name, url, max_per_minute, batch_size)
       SELECT r.parent_id, r.id, 'webhook', '基准测试回调', $2, 600, 100 FROM region r WHERE r.id = ANY($1::uuid[])`,
      [townships, receiverUrl],
    );
    const designatedAt = new Date(await nowOnServer()).toISOString();
    const policy = { ...DEFAULT_POLICY };
    const burstClient = tsEnv.client;
    const setupMs = await pool(cases, START_CONCURRENCY, async (c) => {
      const org: { id: string; name: string; township_id: string; county_id: string; region_id: string } = (
        await ds.query(`SELECT id, name, township_id, county_id, region_id FROM organization WHERE id = $1`, [c.organizationId])
      )[0];
      const caseId = caseIdFor(org.id, YEAR);
      await startRectifyCase(burstClient, burstQueue, {
        caseId,
        organization: { id: org.id, name: org.name, townshipId: org.township_id, countyId: org.county_id, regionId: org.region_id },
        batchYear: YEAR,
        reasons: ['C1', 'C4'],
        note: '基准测试：季度初集中提醒',
        designatedBy: actorOf(people.get(c.county.adminId)!),
        designatedAt,
        policy,
      });
      const leader = people.get(c.leaderId)!;
      await executeCaseCommand(burstClient, caseId, 'assignContactLeader', {
        actor: actorOf(people.get(c.county.adminId)!),
        leader: { id: leader.id, name: leader.name, title: leader.title, isCountyPartySecretary: false },
      });
    }, log);
    log(`burst: ${cases.length} cases ready in ${round(setupMs / 1000)} s; counting the notices due at the quarter start`);
    // What is due at the quarter start, from the workflows' own plans. Every burst case is built the
    // same way (designated at the same moment, a contact leader, nothing done since), so each owes the
    // same notices: a sample of 100 plans gives the number (asking all 5,000 took a minute), and after
    // the burst the count of what was raised shows whether any case raised more.
    const sample = cases.filter((_, i) => i % Math.max(1, Math.floor(cases.length / 100)) === 0);
    const duePerCase = new Set<number>();
    await pool(sample, 16, async (c) => {
      const s = await queryCaseState(burstClient, caseIdFor(c.organizationId, YEAR));
      duePerCase.add((s?.notices?.planned ?? []).filter((p) => p.atMs >= quarterStartMs && p.atMs < quarterStartMs + 3600_000).length);
    }, log);
    if (duePerCase.size !== 1) throw new Error(`the sampled burst cases owe different numbers of notices at the quarter start: ${[...duePerCase].join(', ')}`);
    const expected = [...duePerCase][0] * cases.length;
    const caseIds = cases.map((c) => caseIdFor(c.organizationId, YEAR));
    let burstWallStart = 0;
    const countAt = async () => {
      const [row] = await ds.query(
        `SELECT count(*)::int AS raised, count(*) FILTER (WHERE status = 'sent')::int AS sent FROM delivery
         WHERE case_id = ANY($1) AND created_at >= $2`,
        [caseIds, new Date(burstWallStart)],
      );
      return row as { raised: number; sent: number };
    };
    log(`burst: ${expected} notices due at 2030-04-01 09:00; jumping the clock`);
    // Jump to a minute before the quarter start (earlier reminders fire on the way), let them settle,
    // then take the last minute: the burst starts when the server's clock reaches the quarter start.
    await skipUntil(quarterStartMs - 60_000);
    await settle(ds, caseIds);
    burstWallStart = Date.now();
    delivered = 0;
    await skipUntil(quarterStartMs);
    const jumped = Date.now();
    let inboxMs: number | null = null;
    let deliveredMs: number | null = null;
    const deadline = Date.now() + 15 * 60_000;
    let last = { raised: 0, sent: 0 };
    while (Date.now() < deadline) {
      last = await countAt();
      if (inboxMs === null && last.raised >= expected) inboxMs = Date.now() - jumped;
      if (last.raised >= expected && last.sent >= last.raised) {
        deliveredMs = Date.now() - jumped;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    // Anything raised beyond the expected shows here (deliveriesQueued > noticesDue).
    await new Promise((r) => setTimeout(r, 3000));
    last = await countAt();
    const [{ inbox }] = await ds.query(`SELECT count(*)::int AS inbox FROM notification WHERE case_id = ANY($1) AND created_at >= $2`, [caseIds, new Date(jumped - 5000)]);
    const peaks = workers.map((w) => peakMemoryMb(w.pid));
    return {
      cases: cases.length,
      workers: workers.length,
      channels: townships.length,
      noticesDue: expected,
      deliveriesQueued: last.raised,
      deliveriesSent: last.sent,
      inboxRowsWritten: inbox,
      secondsUntilAllQueued: inboxMs === null ? null : round(inboxMs / 1000),
      secondsUntilAllDelivered: deliveredMs === null ? null : round(deliveredMs / 1000),
      webhookNoticesReceivedInBurst: delivered,
      setupSeconds: round(setupMs / 1000),
      workerPeakMemoryMb: peaks.some((m) => m === null) ? null : Math.max(...(peaks as number[])),
      ...(workers.length > 1 ? { workerPeakMemoryMbEach: peaks.join(' / ') } : {}),
    };
  } finally {
    await clock.close();
    await Promise.all(
      workers.map(async (w) => {
        const exited = new Promise((r) => w.once('exit', r));
        w.kill('SIGTERM');
        await exited;
      }),
    );
    receiver.close();
    await tsEnv.teardown();
  }
}

/** Waits until no delivery of these cases is pending and none was added for two seconds. */
async function settle(ds: DataSource, caseIds: string[]): Promise<void> {
  let previous = -1;
  for (let i = 0; i < 600; i++) {
    const [row] = await ds.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE status <> 'sent')::int AS open FROM delivery WHERE case_id = ANY($1)`, [caseIds]);
    if (row.n === previous && row.open === 0) return;
    previous = row.n;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** The worker app itself, as a child process on the burst's server and task queue (the `index`th of BENCH_BURST_WORKERS). */
function spawnWorker(address: string, taskQueue: string, index: number): ChildProcess {
  const entry = path.resolve(__dirname, '..', 'apps', 'worker', 'src', 'main.js');
  const runDir = process.env.BENCH_RUN_DIR ?? '.';
  const out = fs.openSync(path.join(runDir, index === 0 ? 'burst-worker.log' : `burst-worker-${index + 1}.log`), 'a');
  const profile = process.env.BENCH_PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${path.join(runDir, 'burst-worker-profile')}`] : [];
  const heap = `--max-old-space-size=${/^\d+$/.test(process.env.WORKER_MEMORY_MB ?? '') ? process.env.WORKER_MEMORY_MB : 512}`;
  const child = spawn(process.execPath, [...profile, heap, entry], {
    env: { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  process.once('exit', () => child.kill('SIGKILL'));
  return child;
}

// Exits when done: the baseline worker's native connection (and gRPC channels) would keep it alive.
main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error('[bench] failed:', err);
    process.exit(1);
  },
);
