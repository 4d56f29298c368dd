/**
 * Operations, as the engineer on call sees them: the compiled API and worker (as production runs
 * them) write JSON log lines with request, user, case and workflow ids and never a secret; their
 * Prometheus endpoints, on ports of their own, are scraped by a real Prometheus (Debian's, installed
 * by npm test like PostgreSQL) and answer queries; the public port's /metrics is not the dashboard.
 */
import { hash } from '@node-rs/bcrypt';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { normalizeUsername } from '../../libs/domain';
import { AppUserEntity, dataSourceOptions } from '../../libs/persistence';
import { API_ENTRY, jsonLines, startAppProcess, WORKER_ENTRY, type AppProcess } from '../support/app-processes';
import { createRegionWithOrganizations, eventually } from '../support/harness';

const { freePort } = require('../../scripts/lib/proc') as { freePort: () => Promise<number> };
const { prometheusPath } = require('../../scripts/lib/prometheus') as { prometheusPath: () => string | undefined };

const JWT_SECRET = randomBytes(24).toString('hex');
const PASSWORD = `Ops-${randomBytes(6).toString('hex')}-密码`;
const WRONG_PASSWORD = `Wrong-${randomBytes(6).toString('hex')}`;

/** One span as an OTLP/JSON export carries it (ids in hex), with its service's name. */
interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, string | number | boolean | undefined>;
}

/** A stand-in OpenTelemetry collector: POST /v1/traces in OTLP/JSON, as the apps' exporter sends it. */
async function startOtlpReceiver(): Promise<{ url: string; spans: ExportedSpan[]; close(): Promise<void> }> {
  const spans: ExportedSpan[] = [];
  type AnyValue = { stringValue?: string; intValue?: number | string; boolValue?: boolean };
  type KeyValue = { key: string; value: AnyValue };
  const flat = (kvs: KeyValue[] = []) => Object.fromEntries(kvs.map((kv) => [kv.key, kv.value.stringValue ?? kv.value.intValue ?? kv.value.boolValue]));
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += String(d)));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const doc = JSON.parse(body) as { resourceSpans: { resource: { attributes: KeyValue[] }; scopeSpans: { spans: (Omit<ExportedSpan, 'service' | 'attributes'> & { attributes: KeyValue[] })[] }[] }[] };
        for (const rs of doc.resourceSpans) {
          const service = String(flat(rs.resource.attributes)['service.name']);
          for (const ss of rs.scopeSpans) for (const span of ss.spans) spans.push({ ...span, service, attributes: flat(span.attributes) });
        }
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('operations: logs, metrics and traces of the running apps', () => {
  let ds: DataSource;
  let api: AppProcess;
  let worker: AppProcess;
  let base: string;
  let apiMetricsPort: number;
  let workerMetricsPort: number;
  let token: string;
  let adminId: string;
  let countyId: string;
  let caseId: string;
  let createRequestId: string;
  let env: NodeJS.ProcessEnv;
  let collector: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let leaderId: string;

  beforeAll(async () => {
    ds = new DataSource(dataSourceOptions(process.env.DATABASE_URL as string));
    await ds.initialize();
    const apiPort = await freePort();
    apiMetricsPort = await freePort();
    workerMetricsPort = await freePort();
    collector = await startOtlpReceiver();
    env = {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: process.env.DATABASE_URL,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: `ops-${randomUUID()}`,
      API_PORT: String(apiPort),
      METRICS_PORT: String(apiMetricsPort),
      WORKER_METRICS_PORT: String(workerMetricsPort),
      JWT_SECRET,
      PASSWORD_HASH_ROUNDS: '4',
      // The most the apps ever write: a secret must not appear even among the debug lines.
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    };
    worker = await startAppProcess(WORKER_ENTRY, env, '[worker] polling task queue');
    api = await startAppProcess(API_ENTRY, env, '[api] listening on');
    base = `http://127.0.0.1:${apiPort}`;

    const { county, organizations } = await createRegionWithOrganizations(ds, 1);
    countyId = county.id;
    const users = ds.getRepository(AppUserEntity);
    const username = normalizeUsername(`ops-${randomUUID().slice(0, 8)}`);
    const admin = await users.save(
      users.create({ username, displayName: '值班组织部干部', title: '', role: 'county_org_admin', regionId: county.id, passwordHash: await hash(PASSWORD, 4), active: true }),
    );
    adminId = admin.id;
    const leader = await users.save(
      users.create({ username: normalizeUsername(`ops-leader-${randomUUID().slice(0, 8)}`), displayName: '县级领导', title: '副县长', role: 'county_leader', regionId: county.id, passwordHash: await hash(PASSWORD, 4), active: true }),
    );
    leaderId = leader.id;

    // A mistyped password first, then the right one; then an action that starts a case workflow.
    expect((await post('/api/auth/login', { username, password: WRONG_PASSWORD })).status).toBe(401);
    const login = await post('/api/auth/login', { username, password: PASSWORD });
    expect(login.status).toBe(200);
    token = ((await login.json()) as { accessToken: string }).accessToken;
    const created = await post('/api/cases', { organizationId: organizations[0].id, batchYear: 2026, reasons: ['C1'], note: '书记长期缺职，组织生活不正常' }, token);
    expect(created.status).toBe(201);
    caseId = ((await created.json()) as { id: string }).id;
    createRequestId = created.headers.get('x-request-id') ?? '';
    // The worker projects the new case into the read model (an activity).
    await eventually(async () => ((await ds.query('SELECT 1 FROM rectification_case WHERE id = $1', [caseId])) as unknown[]).length || undefined, 60_000, 'the case to be projected');
  });

  afterAll(async () => {
    await api?.stop();
    await worker?.stop();
    await ds?.destroy();
    await collector?.close();
  });

  async function post(url: string, body: unknown, bearer?: string): Promise<Response> {
    return fetch(`${base}${url}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify(body),
    });
  }

  describe('logs', () => {
    it('the API writes one JSON access line per request, with ISO time, level, request id, user id, route, case and duration', async () => {
      // The line is written once the answer has gone out, and read from the API's stdout as it arrives: wait for it.
      await eventually(async () => jsonLines(api.stdout()).lines.find((l) => l.requestId === createRequestId && l.res !== undefined), 10_000, 'the designation\'s access line');
      const { lines, notJson } = jsonLines(api.stdout());
      expect(notJson).toEqual([]);
      for (const line of lines) {
        expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).toContain(line.level);
        expect(line.app).toBe('api');
      }
      expect(createRequestId).toMatch(/^[0-9a-f-]{36}$/);
      const created = lines.filter((l) => l.requestId === createRequestId && l.res !== undefined);
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ level: 'info', userId: adminId, route: '/api/cases', req: { method: 'POST' }, res: { statusCode: 201 } });
      expect(typeof created[0].durationMs).toBe('number');
      // Each field once: a log shipper that keeps the first of two "route"s would file every line as unmatched.
      const createdLine = api.stdout().split('\n').find((l) => l.includes(createRequestId) && l.includes('"res":'));
      expect(createdLine?.match(/"route":/g)).toHaveLength(1);

      const signIns = lines.filter((l) => l.route === '/api/auth/login' && l.res !== undefined);
      expect(signIns.map((l) => (l.res as { statusCode: number }).statusCode).sort()).toEqual([200, 401]);
      // Each request its own id.
      expect(new Set(signIns.map((l) => l.requestId)).size).toBe(2);
    });

    it('a request id given by a proxy is kept, echoed, and logged; an action on a case logs its case id', async () => {
      const requestId = `proxy-${randomUUID()}`;
      const res = await fetch(`${base}/api/cases/${caseId}`, { headers: { Authorization: `Bearer ${token}`, 'X-Request-Id': requestId } });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBe(requestId);
      const line = await eventually(async () => jsonLines(api.stdout()).lines.find((l) => l.requestId === requestId && l.res !== undefined), 10_000, 'the access line');
      expect(line).toMatchObject({ route: '/api/cases/:id', caseId, userId: adminId, res: { statusCode: 200 } });
    });

    it("the health probe's answers are logged at debug, out of the info lines an engineer reads", async () => {
      const requestId = `probe-${randomUUID()}`;
      await fetch(`${base}/api/health`, { headers: { 'X-Request-Id': requestId } });
      const line = await eventually(async () => jsonLines(api.stdout()).lines.find((l) => l.requestId === requestId && l.res !== undefined), 10_000, 'the probe line');
      expect(line).toMatchObject({ level: 'debug', route: '/api/health' });
    });

    it("the worker writes JSON lines only — its own, the Temporal SDK's and the activities' — with the case's workflow id", () => {
      const { lines, notJson } = jsonLines(worker.stdout());
      expect(notJson).toEqual([]);
      for (const line of lines) {
        expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(line.app).toBe('worker');
      }
      const aboutTheCase = lines.filter((l) => l.workflowId === caseId);
      expect(aboutTheCase.length).toBeGreaterThan(0);
      expect(aboutTheCase.every((l) => l.caseId === caseId)).toBe(true);
      // The projection activity's lines say which activity of which case.
      expect(aboutTheCase.some((l) => typeof l.activityType === 'string')).toBe(true);
    });

    it('no log line carries the JWT secret, a password (right or wrong) or a sign-in token', () => {
      const everything = [api.stdout(), api.stderr(), worker.stdout(), worker.stderr()].join('\n');
      expect(everything.length).toBeGreaterThan(1000);
      for (const secret of [JWT_SECRET, PASSWORD, WRONG_PASSWORD, token, token.split('.')[2]]) expect(everything).not.toContain(secret);
      expect(everything).not.toMatch(/Bearer\s+ey/);
    });
  });

  describe('metrics', () => {
    let prometheus: ChildProcess | undefined;
    let promBase: string;
    let promDir: string;
    let promOut = '';

    beforeAll(async () => {
      const bin = prometheusPath();
      if (!bin) throw new Error('Debian prometheus is missing: npm test installs it (scripts/lib/prometheus.js), or apt-get install -y prometheus');
      promDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-'));
      const promPort = await freePort();
      promBase = `http://127.0.0.1:${promPort}`;
      fs.writeFileSync(
        path.join(promDir, 'prometheus.yml'),
        [
          'global:',
          '  scrape_interval: 1s',
          'scrape_configs:',
          '  - job_name: api',
          `    static_configs: [{ targets: ["127.0.0.1:${apiMetricsPort}"] }]`,
          '  - job_name: worker',
          `    static_configs: [{ targets: ["127.0.0.1:${workerMetricsPort}"] }]`,
          '',
        ].join('\n'),
      );
      prometheus = spawn(bin, [`--config.file=${path.join(promDir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(promDir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      prometheus.stdout?.on('data', (d: Buffer) => (promOut += String(d)));
      prometheus.stderr?.on('data', (d: Buffer) => (promOut += String(d)));
    });

    afterAll(async () => {
      if (prometheus && prometheus.exitCode === null) {
        const exited = new Promise((r) => prometheus?.once('exit', r));
        prometheus.kill('SIGTERM');
        await exited;
      }
      if (promDir) fs.rmSync(promDir, { recursive: true, force: true });
    });

    /** The samples of a PromQL query, once Prometheus has some (it scrapes every second). */
    async function query(promql: string, what: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
      return eventually(
        async () => {
          if (prometheus?.exitCode !== null) throw new Error(`prometheus exited:\n${promOut}`);
          const res = await fetch(`${promBase}/api/v1/query?query=${encodeURIComponent(promql)}`).catch(() => undefined);
          if (!res?.ok) return undefined;
          const body = (await res.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
          return body.status === 'success' && body.data.result.length > 0 ? body.data.result : undefined;
        },
        60_000,
        what,
      );
    }

    it('Prometheus scrapes the API: the new case counts in its county and stage, the request in its route and status', async () => {
      const cases = await query(`rectification_cases{county_id="${countyId}"}`, 'the county gauge');
      expect(cases.map((s) => [s.metric.stage, s.value[1]])).toEqual([['designated', '1']]);
      const requests = await query('http_request_duration_seconds_count{job="api",route="/api/cases",method="POST",status_code="201"}', 'the request histogram');
      expect(Number(requests[0].value[1])).toBeGreaterThanOrEqual(1);
      const deliveries = await query('rectification_deliveries{job="api"}', 'the deliveries gauge');
      expect(deliveries.map((s) => s.metric.status).sort()).toEqual(['failed', 'unknown']);
    });

    it("Prometheus scrapes the worker's Temporal SDK metrics: task latencies and the sticky cache", async () => {
      const up = await query('up{job="worker"}', 'the worker target');
      expect(up[0].value[1]).toBe('1');
      const names = await query('count by (__name__) ({job="worker", __name__=~"temporal_.+"})', "the worker's metrics");
      const metricNames = names.map((s) => s.metric.__name__);
      expect(metricNames).toEqual(expect.arrayContaining(['temporal_sticky_cache_size', 'temporal_sticky_cache_hit']));
      expect(metricNames.some((n) => n.startsWith('temporal_workflow_task_execution_latency'))).toBe(true);
      // The case's sync runs as a local activity (local-sync-v1): its latency is the local activities' histogram.
      expect(metricNames.some((n) => n.startsWith('temporal_local_activity_execution_latency'))).toBe(true);
    });

    it("a second worker on the host, its metrics port taken, still polls and says why its metrics are off", async () => {
      const second = await startAppProcess(WORKER_ENTRY, env, '[worker] polling task queue');
      try {
        const off = jsonLines(second.stdout()).lines.find((l) => String(l.msg).includes('metrics off'));
        expect(off).toMatchObject({ level: 'error', bindAddress: `127.0.0.1:${workerMetricsPort}` });
      } finally {
        await second.stop();
      }
    });

    it('the metrics are on their own loopback ports; the public port answers /metrics with a 404, not the dashboard', async () => {
      const own = await fetch(`http://127.0.0.1:${apiMetricsPort}/metrics`);
      expect(own.status).toBe(200);
      expect(own.headers.get('content-type')).toContain('text/plain');
      const publicPort = await fetch(`${base}/metrics`);
      expect(publicPort.status).toBe(404);
      expect(publicPort.headers.get('content-type')).not.toContain('text/html');
    });
  });
  describe('traces', () => {
    it('leave by OTLP when configured: one trace from the HTTP request through the Update and the workflow to the activity and its SQL', async () => {
      const res = await post(`/api/cases/${caseId}/contact-leader`, { leaderUserId: leaderId }, token);
      expect(res.status).toBe(200);
      const target = (s: ExportedSpan) => String(s.attributes['http.target'] ?? s.attributes['url.path'] ?? '');
      // SPAN_KIND_SERVER is 2; the apps export in batches every few seconds.
      const server = await eventually(
        async () => collector.spans.find((s) => s.service === 'rectification-api' && s.kind === 2 && target(s).endsWith(`/api/cases/${caseId}/contact-leader`)),
        30_000,
        "the API's HTTP span",
      ).catch((err: Error) => {
        // What the collector got and what OpenTelemetry said in the apps' logs ("[otel]" lines), to tell a lost batch from a missing span.
        const received: Record<string, number> = {};
        for (const s of collector.spans) received[s.service] = (received[s.service] ?? 0) + 1;
        const said = [api, worker].flatMap((p) => jsonLines(p.stdout()).lines.filter((l) => String(l.msg).startsWith('[otel]')));
        throw new Error(`${err.message}; spans received: ${JSON.stringify(received)}; OpenTelemetry said: ${JSON.stringify(said)}`);
      });
      const trace = await eventually(
        async () => {
          const spans = collector.spans.filter((s) => s.traceId === server.traceId);
          const has = (service: string, test: (s: ExportedSpan) => boolean) => spans.some((s) => s.service === service && test(s));
          return has('rectification-api', (s) => s.name === 'StartWorkflowUpdate:assignContactLeader') &&
            has('rectification-worker', (s) => s.name === 'HandleUpdate:assignContactLeader') &&
            has('rectification-worker', (s) => s.name.startsWith('RunActivity:')) &&
            has('rectification-worker', (s) => s.attributes['db.system'] === 'postgresql')
            ? spans
            : undefined;
        },
        30_000,
        'the Update, workflow, activity and SQL spans of that trace',
      );
      // The SQL runs inside the activity: its span's parent chain reaches the RunActivity span.
      const byId = new Map(trace.map((s) => [s.spanId, s]));
      const sql = trace.filter((s) => s.service === 'rectification-worker' && s.attributes['db.system'] === 'postgresql');
      const underActivity = sql.some((s) => {
        for (let p = s.parentSpanId ? byId.get(s.parentSpanId) : undefined; p; p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined) if (p.name.startsWith('RunActivity:')) return true;
        return false;
      });
      expect(underActivity).toBe(true);
      // Statements, never their values: the leader's id is a parameter, not part of the traced text.
      expect(JSON.stringify(sql)).not.toContain(leaderId);
    });
  });
});
