import 'reflect-metadata';
import { JwtService } from '@nestjs/jwt';
import autocannon from 'autocannon';
import * as fs from 'node:fs';
import { DataSource } from 'typeorm';
import { demoBatchDates, type DemoCourse } from '../apps/api/src/demo/demo-history';
import { type UserRole } from '../libs/domain';
import { dataSourceOptions } from '../libs/persistence';
import { addTeamLeaders, buildNation, pickCaseSlots, type NationalShape } from './national-dataset';
import { projectCasesDirectly, PROJECTED_LABEL } from './project-directly';
import { percentiles } from './report';
import { machineProbe } from './machine-probe';

/**
 * `npm run bench:national` (started by scripts/bench-national.js with PostgreSQL and the API running, no
 * Temporal): the read side at national scale (issue 17). Builds 31 provinces × 10 cities × 9 counties ×
 * 14 townships and 500,000 organizations, writes 50,000 cases straight into PostgreSQL through the
 * projection code (bench/project-directly.ts: libs/read-model projectCaseChange, the function the worker's
 * syncCase calls, with the tasks of deriveTasks) — no workflows — their states made by the case's own
 * rules (the pure machine of apps/api/src/demo/demo-history.ts on a past clock), then measures GET
 * /api/dashboard/rollup under load. The region tree stops at the province: the national view is every
 * province's roll-up.
 * BENCH_NATIONAL_SCALE (default 1) scales the organizations and cases; the region tree keeps its size.
 */
const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run the benchmark with npm run bench:national)`);
  return v;
};

const SCALE = Number(process.env.BENCH_NATIONAL_SCALE ?? 1);
const SHAPE: NationalShape = { provinces: 31, citiesPerProvince: 10, countiesPerCity: 9, townshipsPerCounty: 14, organizations: Math.round(500_000 * SCALE) };
/** One case for every tenth organization. */
const CASE_EVERY = 10;
const CASES = Math.floor(SHAPE.organizations / CASE_EVERY);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 15);
const LOAD_CONNECTIONS = 16;
const WRITE_CONCURRENCY = 8;
const TARGET_P95_MS = 300;
/** A task list is a phone's first page: the township list's target of issue 17 (bench/targets.ts). */
const TEAM_LIST_P95_MS = 30;

const log = (msg: string) => process.stderr.write(`[bench:national ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

function round(x: number, digits = 1): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

// ---- case states, by the case's own rules -----------------------------------------------------------

/**
 * Where the case with index i stands today, over 20: 3 converted, 2 in 回头看, 1 relapsed, 1 taken off the
 * list, 8 rectifying with an overdue measure (from days to weeks overdue, some without this quarter's
 * visit), 3 with only a contact leader, 2 designated and nothing more.
 */
function courseOf(i: number): DemoCourse {
  const k = i % 20;
  const v = Math.floor(i / 20);
  if (k < 3) return { kind: 'converted', acceptedDaysAgo: 100 + ((v * 7 + k * 31) % 110) };
  if (k < 5) return { kind: 'follow_up_review', acceptedDaysAgo: 185 + ((v + k) % 25) };
  if (k === 5) return { kind: 'relapsed', acceptedDaysAgo: 210, reviewedDaysAgo: 5 + (v % 20), findings: '回头看发现：三会一课再度中断，群众反映强烈（基准数据）' };
  if (k === 6) return { kind: 'removed', removedDaysAgo: 10 + (v % 100), reason: '经县委组织部复核，不属于软弱涣散情形，移出整顿名单（基准数据）' };
  if (k < 15) return { kind: 'overdue', overdueDays: 1 + ((v * 13 + k * 5) % 70), percent: [0, 30, 60, 90][k % 4], visitThisQuarter: k % 3 !== 0 };
  return { kind: 'designated', withLeader: k < 18 };
}

// ---- load --------------------------------------------------------------------------------------------

interface Load {
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/**
 * LOAD_CONNECTIONS connections for LOAD_SECONDS, each sending its own list of requests in turn (a path and
 * the token of a user of its own: one user may have only API_HEAVY_READS_PER_USER heavy reads in flight).
 * One autocannon per connection, so each keeps its user. Exact percentiles from every response time.
 */
async function load(base: string, requestsOf: (connection: number) => { path: string; token: string }[]): Promise<Load> {
  const times: number[] = [];
  let errors = 0;
  let sent = 0;
  const results = await Promise.all(
    Array.from(
      { length: LOAD_CONNECTIONS },
      (_, c) =>
        new Promise<autocannon.Result>((resolve, reject) => {
          const list = requestsOf(c);
          const instance = autocannon(
            {
              url: `${base}${list[0].path}`,
              connections: 1,
              duration: LOAD_SECONDS,
              timeout: 60,
              requests: list.map((r) => ({ method: 'GET' as const, path: r.path, headers: { authorization: `Bearer ${r.token}` } })),
            },
            (err, r) => (err ? reject(err) : resolve(r)),
          );
          instance.on('response', (_client, statusCode, _bytes, responseTime) => {
            if (statusCode !== 200) errors++;
            sent++;
            times.push(responseTime);
          });
        }),
    ),
  );
  const p = percentiles(times, [50, 95, 99]);
  const failed = results.reduce((n, r) => n + r.errors + r.timeouts, 0);
  return { requests: sent, errors: errors + failed, requestsPerSecond: round(sent / LOAD_SECONDS), p50Ms: round(p[50]), p95Ms: round(p[95]), p99Ms: round(p[99]) };
}

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let n = 0;
  for (const ch of s) n += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return n;
}

function printTable(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => width(r[c]))));
  return rows.map((r) => r.map((cell, c) => cell + ' '.repeat(widths[c] - width(cell))).join(' | ')).join('\n');
}

// ---- the run -----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const nowMs = Date.now();
  const { designatedOn, batchYear } = demoBatchDates(nowMs);
  const ds = new DataSource({ ...dataSourceOptions(env('DATABASE_URL')), extra: { max: WRITE_CONCURRENCY + 2 } });
  await ds.initialize();
  const tag = Date.now().toString(36).slice(-5).toUpperCase();
  const figures: Record<string, Record<string, unknown>> = { machine: machineProbe() };

  log(`building the nation: ${SHAPE.provinces} provinces × ${SHAPE.citiesPerProvince} cities × ${SHAPE.countiesPerCity} counties × ${SHAPE.townshipsPerCounty} townships, ${SHAPE.organizations} organizations`);
  const t0 = performance.now();
  const nation = await buildNation(ds, SHAPE, tag, LOAD_CONNECTIONS);
  figures.dataset = { ...nation.regions, organizations: nation.organizations, users: nation.users, seconds: round((performance.now() - t0) / 1000) };
  log(`nation: ${JSON.stringify(nation)}`);

  const slots = await pickCaseSlots(ds, tag, CASES, CASE_EVERY);
  log(`writing ${slots.length} cases (batch ${batchYear}, designated from ${designatedOn}) ${PROJECTED_LABEL}, ${WRITE_CONCURRENCY} at a time`);
  figures.cases = await projectCasesDirectly(ds, slots, courseOf, { designatedOn, batchYear, nowMs, note: '基准测试：全国规模读侧（基准数据）' }, WRITE_CONCURRENCY, log);
  log(`cases written in ${String(figures.cases.seconds)} s: ${JSON.stringify(figures.cases)}`);

  // ---- the roll-up under load ------------------------------------------------------------------
  const people: { id: string; username: string; role: UserRole; region_id: string; code: string; level: string }[] = await ds.query(
    `SELECT u.id, u.username, u.role, u.region_id, r.code, r.level FROM app_user u JOIN region r ON r.id = u.region_id
     WHERE r.code LIKE $1 AND u.role IN ('province_org_admin', 'city_org_admin') ORDER BY r.code, u.username`,
    [`N${tag}%`],
  );
  const jwt = new JwtService({ secret: env('JWT_SECRET'), signOptions: { expiresIn: '2h' } });
  const tokenOf = (p: (typeof people)[number]) => jwt.sign({ sub: p.id, role: p.role, regionId: p.region_id, sv: 0 });
  const provinces = [...new Set(people.filter((p) => p.level === 'province').map((p) => p.region_id))];
  /** Per province, one account per load connection. */
  const provinceTokens = provinces.map((id) => people.filter((p) => p.region_id === id).map(tokenOf));
  const cities = people.filter((p) => p.level === 'city');
  const base = env('API_URL');
  const rollup = `/api/dashboard/rollup?batchYear=${batchYear}`;
  const [{ casesPerProvince }] = await ds.query(
    `SELECT round(avg(n))::int AS "casesPerProvince" FROM (SELECT m.parent_id, count(*) AS n FROM rectification_case c JOIN region k ON k.id = c.county_id JOIN region m ON m.id = k.parent_id GROUP BY m.parent_id) x`,
  );

  // Each roll-up answers the same as a single request first (and warms the API up).
  const check = await fetch(`${base}${rollup}`, { headers: { authorization: `Bearer ${provinceTokens[0][0]}` } });
  const body = (await check.json()) as { totals?: { cases: number }; rows?: unknown[] };
  if (check.status !== 200) throw new Error(`GET ${rollup} as a province: ${check.status} ${JSON.stringify(body).slice(0, 300)}`);
  log(`a province's roll-up: ${body.rows?.length} cities, ${body.totals?.cases} cases`);

  // The national view assembled from the provinces, one after another, nothing else running.
  const sequential: number[] = [];
  let nationalCases = 0;
  for (const tokens of provinceTokens) {
    const s0 = performance.now();
    const res = await fetch(`${base}${rollup}`, { headers: { authorization: `Bearer ${tokens[0]}` } });
    const b = (await res.json()) as { totals: { cases: number } };
    sequential.push(performance.now() - s0);
    nationalCases += b.totals.cases;
  }

  log(`load: roll-ups, ${LOAD_CONNECTIONS} connections × ${LOAD_SECONDS} s each`);
  figures.nationalRollup = {
    endpoint: `GET ${rollup} (every province in turn, each by its provincial organization department)`,
    provinces: provinces.length,
    casesInNation: nationalCases,
    ...(await load(base, (c) => provinceTokens.map((_, n) => ({ path: rollup, token: provinceTokens[(c + n) % provinceTokens.length][c] })))),
  };
  figures.provinceRollup = {
    endpoint: `GET ${rollup} (one province, ${LOAD_CONNECTIONS} of its organization department's accounts)`,
    casesInProvince: body.totals?.cases ?? 0,
    ...(await load(base, (c) => [{ path: rollup, token: provinceTokens[0][c] }])),
  };
  const cityTokens = cities.slice(0, LOAD_CONNECTIONS).map(tokenOf);
  figures.cityRollup = {
    endpoint: `GET ${rollup} (${cityTokens.length} cities, each by its own organization department)`,
    ...(await load(base, (c) => [{ path: rollup, token: cityTokens[c % cityTokens.length] }])),
  };
  figures.nationalViewSequential = {
    endpoint: `GET ${rollup} for each of the ${provinces.length} provinces, one after another`,
    totalMs: round(sequential.reduce((a, b) => a + b, 0)),
    slowestMs: round(Math.max(...sequential)),
    averageCasesPerProvince: casesPerProvince,
  };

  // A village team's own task list on a phone (view=mine), by the leaders of 16 cases' teams: their scope is the
  // organizations of their village, among the nation's 500,000.
  const teamLeaders = await addTeamLeaders(ds, slots, LOAD_CONNECTIONS);
  const teamTokens = teamLeaders.map((t) => jwt.sign({ sub: t.id, role: 'team_leader', regionId: t.regionId, sv: 0 }));
  const teamList = '/api/tasks?view=mine&status=open&limit=20';
  figures.teamTaskList = {
    endpoint: `GET ${teamList} (${teamTokens.length} village teams' leaders, each their own)`,
    ...(await load(base, (c) => [{ path: teamList, token: teamTokens[c % teamTokens.length] }])),
  };

  const met = (p95: unknown, target = TARGET_P95_MS) => (typeof p95 === 'number' && p95 <= target ? 'yes' : 'NO');
  const rows = [
    ['figure', 'result', 'target', 'met'],
    ...(
      [
        ['national roll-up (every province in turn)', figures.nationalRollup],
        ['province roll-up', figures.provinceRollup],
        ['city roll-up', figures.cityRollup],
      ] as const
    ).map(([name, f]) => [name, `p50 ${f.p50Ms} ms, p95 ${f.p95Ms} ms, p99 ${f.p99Ms} ms; ${f.requestsPerSecond} requests/s; ${f.errors} errors`, `p95 ≤ ${TARGET_P95_MS} ms`, met(f.p95Ms)]),
    [
      "village team's task list",
      `p50 ${figures.teamTaskList.p50Ms} ms, p95 ${figures.teamTaskList.p95Ms} ms, p99 ${figures.teamTaskList.p99Ms} ms; ${figures.teamTaskList.requestsPerSecond} requests/s; ${figures.teamTaskList.errors} errors`,
      `p95 ≤ ${TEAM_LIST_P95_MS} ms (the township list's target)`,
      met(figures.teamTaskList.p95Ms, TEAM_LIST_P95_MS),
    ],
  ];
  const report = { scale: SCALE, startedAt, finishedAt: new Date().toISOString(), label: PROJECTED_LABEL, targetP95Ms: TARGET_P95_MS, figures };
  process.stdout.write(
    `national read-side run (scale ${SCALE}): ${nation.organizations} organizations, ${slots.length} cases ${PROJECTED_LABEL}\n` +
      `${printTable(rows)}\n\n` +
      Object.entries(figures)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join('\n') +
      `\n\nJSON:\n${JSON.stringify(report)}\n`,
  );
  const out = process.env.BENCH_RESULTS_FILE;
  if (out) fs.writeFileSync(out, JSON.stringify(report, null, 2));
  // A target missed shows in the table (met: NO); only failed requests make the run fail.
  if ([figures.nationalRollup, figures.provinceRollup, figures.cityRollup, figures.teamTaskList].some((f) => (f.errors as number) > 0 || !f.requests)) process.exitCode = 1;
  await ds.destroy();
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error('[bench:national] failed:', err);
    process.exit(1);
  },
);
