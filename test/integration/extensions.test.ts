import { Workbook } from 'exceljs';
import type request from 'supertest';
import { addDays, auditSentence, type CaseState } from '../../libs/domain';
import { as, personas, type Personas } from '../support/auth';
import { createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';
import { HttpPlaybook, todayInShanghai } from '../support/http-playbook';

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** 延期 over the API (issue 20 item 2): asked by the team, decided by the county, on the ledger export with the original date. */
describe('deadline extensions, over the API', () => {
  let h: Harness;
  let people: Personas;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  // Next year's batch, so the dates below never run into the batch's year end whatever today is.
  const year = Number(todayInShanghai().slice(0, 4)) + 1;

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 1);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
  }, 120000);
  afterAll(() => h?.close());

  async function ledgerColumn(header: string): Promise<string[]> {
    const res = await as(h.app, people.countyAdmin).get(`/api/exports/ledger.xlsx?batchYear=${year}`).buffer(true).parse(binary).expect(200);
    const wb = new Workbook();
    await wb.xlsx.load(res.body as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.worksheets[0];
    const column = (ws.getRow(1).values as unknown[]).map(String).indexOf(header);
    expect(column).toBeGreaterThan(0);
    const cells: string[] = [];
    ws.eachRow((row, i) => i > 1 && cells.push(String(row.getCell(column).value ?? '')));
    return cells;
  }

  /** The county overview's 延期 figures (SQL over the case rows' columns). */
  async function overviewExtensions(): Promise<{ extended: number; pending: number }> {
    const res = await as(h.app, people.countyAdmin).get(`/api/dashboard/overview?batchYear=${year}`).expect(200);
    return res.body.extensions;
  }

  /** The deadlines the overview's case row shows as extended. */
  async function overviewExtendedOf(caseId: string): Promise<unknown[]> {
    const res = await as(h.app, people.countyAdmin).get(`/api/dashboard/overview?batchYear=${year}`).expect(200);
    const rows = (res.body.townships as { matrix: { caseId: string; extended: unknown[] }[] }[]).flatMap((t) => t.matrix);
    return rows.find((r) => r.caseId === caseId)!.extended;
  }

  it('the team asks, the county refuses then approves: the deadline moves once, the ledger shows the original date, the trail says it in words', async () => {
    // The county's policy: one extension per deadline (a bad setting is refused, naming the field).
    const bad = await as(h.app, people.countyAdmin).post(`/api/counties/${orgs.county.id}/policy`).send({ extensions: { approvers: ['team_leader'] } }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('approvers');
    await as(h.app, people.countyAdmin).post(`/api/counties/${orgs.county.id}/policy`).send({ extensions: { maxPerDeadline: 1 }, note: '延期每项限一次' }).expect(201);
    const play = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[0], year, ['C4']);
    await play.start();
    const [problem] = await play.addProblems(1);
    // Where the county's policy asks for its sign-off of the problem list (督导把关), it gives it.
    for (const i of (await play.confirmProblemList()).inspections ?? []) {
      if (i.status === 'pending') await play.act(people.countyAdmin, '/inspections/pass', { inspectionId: i.id });
    }
    await play.consultAll();
    const due = addDays(todayInShanghai(), 5);
    const later = addDays(due, 20);
    const [measureId] = await play.planFor([problem], due);
    await play.approvePlan();

    const ask = { deadline: 'measure', measureId, newDueOn: later, reason: '施工队因连续降雨停工，需顺延工期' };
    expect((await play.post(people.teamLeader, '/extensions', { ...ask, reason: '' }, 400)).body.code).toBe('VALIDATION_FAILED');
    expect((await play.post(people.teamLeader, '/extensions', { ...ask, deadline: 'year_end' }, 400)).body.code).toBe('VALIDATION_FAILED');
    expect((await play.post(people.teamLeader, '/extensions', { ...ask, reason: '下雨了' }, 400)).body.code).toBe('EXTENSION_REASON_REQUIRED');
    expect((await play.post(people.teamLeader, '/extensions', { ...ask, newDueOn: addDays(due, 45) }, 400)).body.code).toBe('EXTENSION_TOO_LONG');
    expect((await play.post(people.teamLeader, '/extensions', { ...ask, measureId: 'm999' }, 404)).body.code).toBe('MEASURE_NOT_FOUND');
    expect((await play.post(people.countyLeader, '/extensions', ask, 403)).body.code).toBe('FORBIDDEN');

    let state: CaseState = await play.act(people.teamLeader, '/extensions', ask, 201);
    const first = state.extensions![0];
    expect(first).toMatchObject({ status: 'pending', originalDueOn: due, requestedDueOn: later });
    expect(await overviewExtensions()).toEqual({ extended: 0, pending: 1 });
    const decision = { extensionId: first.id, approve: false, reason: '降雨不影响室内整改内容，不予延期' };
    expect((await play.post(people.townshipSecretary, '/extensions/decision', decision, 403)).body.code).toBe('FORBIDDEN');
    expect((await play.post(people.countyAdmin, '/extensions/decision', { ...decision, extensionId: 'x999' }, 404)).body.code).toBe('EXTENSION_NOT_FOUND');
    expect((await play.post(people.countyAdmin, '/extensions/decision', { ...decision, approve: 'no' }, 400)).body.code).toBe('VALIDATION_FAILED');
    state = await play.act(people.countyAdmin, '/extensions/decision', decision);
    expect(state.measures[0].dueOn).toBe(due);
    expect(await ledgerColumn('延期')).toEqual(['']);
    expect(await overviewExtensions()).toEqual({ extended: 0, pending: 0 });
    expect(await overviewExtendedOf(play.caseId)).toEqual([]);
    expect((await play.post(people.countyAdmin, '/extensions/decision', decision, 409)).body.code).toBe('EXTENSION_ALREADY_DECIDED');

    state = await play.act(people.teamLeader, '/extensions', { ...ask, reason: '村部改造需等待镇财政拨款到位，申请顺延' }, 201);
    state = await play.act(people.countyAdmin, '/extensions/decision', { extensionId: state.extensions![1].id, approve: true, reason: '情况属实，同意延期一次' });
    expect(state.measures[0].dueOn).toBe(later);
    expect(await overviewExtensions()).toEqual({ extended: 1, pending: 0 });
    expect(await overviewExtendedOf(play.caseId)).toEqual([{ title: `整改措施：整改 ${problem}（责任人 张科）`, times: 1, originalDueOn: due, dueOn: later }]);
    expect(await ledgerColumn('延期')).toEqual([`整改措施：整改 ${problem}（责任人 张科）：原定${due}，延至${later}（延期1次）`]);
    expect((await play.post(people.teamLeader, '/extensions', { ...ask, newDueOn: addDays(later, 5) }, 409)).body.code).toBe('EXTENSION_LIMIT_REACHED');

    const audit: { action: string; payload: Record<string, unknown> }[] = await h.dataSource.query(
      `SELECT action, payload FROM audit_entry WHERE case_id = $1 AND action LIKE 'extension.%' ORDER BY id`,
      [play.caseId],
    );
    const sentences = audit.map((a) => auditSentence({ occurredAt: new Date().toISOString(), action: a.action, payload: a.payload, actor: { name: '某人', role: null }, organizationName: null }));
    expect(audit.map((a) => a.action)).toEqual(['extension.requested', 'extension.refused', 'extension.requested', 'extension.approved']);
    expect(sentences[1]).toContain(`不予批准「整改措施：整改 ${problem}（责任人 张科）」延期`);
    expect(sentences[3]).toContain(`原定`);
    expect(sentences[3]).toContain('第1次延期');
  });
});
