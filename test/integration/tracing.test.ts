/**
 * One trace across the hop the logs cannot join: an HTTP request to the API, the Workflow Update it
 * sends, the workflow's handling of it and the activity that projects the change — the same trace id
 * on each, so a slow action can be followed into the worker. Spans go to an in-memory exporter.
 */
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing, type Tracing } from '../../libs/observability';
import { as, signedInUser, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, eventually, startHarness, type Harness } from '../support/harness';

describe('a trace from an HTTP request through the Workflow Update to its activity', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let h: Harness;
  let admin: TestUser;
  let leader: TestUser;
  let caseId: string;

  beforeAll(async () => {
    tracing = startTracing({ serviceName: 'rectification-test', exporter }) as Tracing;
    // Jest loads modules through its own loader, past the require hook the HTTP instrumentation patches
    // with (installed on the Module class Jest hands out); requiring http once through that class's
    // require runs the hook, which patches the http module object every test module shares.
    const ModuleClass = require('module') as new (id: string) => { require(id: string): unknown };
    new ModuleClass(__filename).require('http');
    h = await startHarness(undefined, { tracing });
    const { county, organizations } = await createRegionWithOrganizations(h.dataSource, 1);
    admin = await signedInUser(h.app, h.dataSource, 'county_org_admin', county.id);
    leader = await signedInUser(h.app, h.dataSource, 'county_leader', county.id, { name: '县级领导', title: '副县长' });
    const created = await as(h.app, admin).post('/api/cases').send({ organizationId: organizations[0].id, batchYear: 2026, reasons: ['C1'], note: '书记长期缺职，组织生活不正常' }).expect(201);
    caseId = created.body.id;
    await eventually(async () => ((await h.dataSource.query('SELECT 1 FROM rectification_case WHERE id = $1', [caseId])) as unknown[]).length || undefined, 60_000, 'the case to be projected');
  });

  afterAll(async () => {
    await h?.close();
    await tracing?.shutdown();
    // This Jest worker runs other test files next: leave no tracer, context manager or propagator behind.
    trace.disable();
    context.disable();
    propagation.disable();
  });

  const httpTarget = (s: ReadableSpan) => String(s.attributes['http.target'] ?? s.attributes['url.path'] ?? '');

  it('the HTTP span, the Update, its handling in the workflow and the activity share one trace id', async () => {
    await as(h.app, admin).post(`/api/cases/${caseId}/contact-leader`).send({ leaderUserId: leader.id }).expect(200);

    const server = await eventually(
      async () => exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER && httpTarget(s).endsWith(`/api/cases/${caseId}/contact-leader`)),
      10_000,
      'the HTTP server span',
    );
    const traceId = server.spanContext().traceId;
    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const spans = await eventually(
      async () => {
        const names = inTrace().map((s) => s.name);
        return names.includes('StartWorkflowUpdate:assignContactLeader') && names.includes('HandleUpdate:assignContactLeader') && names.some((n) => n.startsWith('RunActivity:')) ? inTrace() : undefined;
      },
      30_000,
      'the Update, workflow and activity spans of the same trace',
    );
    const byName = (name: string) => spans.find((s) => s.name === name) as ReadableSpan;
    const update = byName('StartWorkflowUpdate:assignContactLeader');
    const handled = byName('HandleUpdate:assignContactLeader');
    const activity = spans.find((s) => s.name.startsWith('RunActivity:')) as ReadableSpan;
    // API → worker: the workflow's handling continues the Update the API sent; the activity runs under the workflow's span.
    expect(update.resource.attributes['service.name']).toBe('rectification-test');
    expect(handled.attributes).toMatchObject({ workflowId: caseId });
    expect(['RunActivity:syncCase', 'RunActivity:projectCase']).toContain(activity.name);
    expect(spans.map((s) => s.spanContext().traceId)).toEqual(spans.map(() => traceId));
    // The Update span lies inside the HTTP request's span.
    expect(update.startTime[0] * 1e9 + update.startTime[1]).toBeGreaterThanOrEqual(server.startTime[0] * 1e9 + server.startTime[1]);
  });
});
