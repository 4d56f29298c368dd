import { Workbook } from 'exceljs';
import type request from 'supertest';
import type { Overview } from '../../libs/http';
import { SYSTEM_ACTOR } from '../../libs/domain';
import { refreshCaseAggregates } from '../../libs/persistence';
import { executeCaseCommand } from '../../libs/temporal';
import { as, personas, type Personas } from '../support/auth';
import { createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';
import { HttpPlaybook, todayInShanghai } from '../support/http-playbook';

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** Issue 16 over HTTP: 代录 confirmed by the contact leader only, S1 never removable, 组织处理 after 约谈 and on the dashboard. */
describe('rules that cannot be bent, over the API', () => {
  let h: Harness;
  let people: Personas;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  const year = Number(todayInShanghai().slice(0, 4));

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 2);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
  }, 120000);
  afterAll(() => h?.close());

  it('a visit entered by the team leader is 代录: it counts once the contact leader confirms it, and nobody else may confirm it', async () => {
    const play = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[0], year);
    await play.start();
    const today = todayInShanghai();
    let state = await play.act(people.teamLeader, '/visits', { visitedOn: today, place: '村党群服务中心', summary: '联系领导到村调研' }, 201);
    const visitId = state.visits[0].id;
    expect(state.visits[0]).toMatchObject({ recordedBy: expect.objectContaining({ id: people.teamLeader.id }), proxy: {} });
    const other = await play.post(people.countySecretary, `/visits/${visitId}/confirm`, {}, 403);
    expect(other.body.code).toBe('VISIT_CONFIRMED_BY_CONTACT_LEADER');
    expect((await play.post(people.countyLeader, '/visits/v999/confirm', {}, 404)).body.code).toBe('VISIT_NOT_FOUND');
    state = await play.act(people.countyLeader, `/visits/${visitId}/confirm`);
    expect(state.visits[0].proxy?.confirmedBy?.id).toBe(people.countyLeader.id);
    const audit = await h.dataSource.query(`SELECT action, payload FROM audit_entry WHERE case_id = $1 AND action IN ('visit.recorded', 'visit.confirmed') ORDER BY id`, [play.caseId]);
    expect(audit).toEqual([
      expect.objectContaining({ action: 'visit.recorded', payload: expect.objectContaining({ proxy: true, occurredOn: today }) }),
      expect.objectContaining({ action: 'visit.confirmed' }),
    ]);
    // The ledger export shows the 代录 and who entered it.
    const res = await as(h.app, people.countyAdmin).get(`/api/exports/ledger.xlsx?batchYear=${year}`).buffer(true).parse(binary).expect(200);
    const wb = new Workbook();
    await wb.xlsx.load(res.body as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).map(String);
    const column = header.indexOf('补录/代录');
    expect(column).toBeGreaterThan(0);
    const cells: string[] = [];
    ws.eachRow((row, i) => i > 1 && cells.push(String(row.getCell(column).value ?? '')));
    expect(cells).toContain(`调研指导 ${today}（${people.teamLeader.name}录入）代录（联系领导已确认）`);

    // 销号 evidence of one character is refused, naming the rule.
    const [p] = await play.addProblems(1);
    await play.confirmProblemList();
    const thin = await play.post(people.teamLeader, `/problems/${p}/close`, { fixEvidence: '有' }, 400);
    expect(thin.body.code).toBe('EVIDENCE_OF_SUBSTANCE');
  });

  it('an S1 case refuses removal over the API; S1 cannot be added by hand; a C-reason can, audited', async () => {
    const play = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[1], year, ['C3']);
    expect((await play.post(people.countyAdmin, '/reasons', { reason: 'S1', note: '评为一星级' }, 400)).body.code).toBe('VALIDATION_FAILED');
    await executeCaseCommand(h.client, play.caseId, 'addDesignationReason', { actor: SYSTEM_ACTOR, reason: 'S1', note: '星级评定为一星级，自动认定' });
    const refused = await play.post(people.countyAdmin, '/remove-from-list', { reason: '经复核认定依据不足，移出整顿名单' }, 409);
    expect(refused.body.code).toBe('ONE_STAR_CANNOT_BE_REMOVED');
    const state = await play.act(people.countyAdmin, '/reasons', { reason: 'C2', note: '书记不胜任现职，群众意见大' }, 201);
    expect(state.reasons).toEqual(['C3', 'S1', 'C2']);
    expect(state.secretary.required).toBe(true);
    // 组织处理 is recorded only after 约谈.
    const early = await play.post(people.countyAdmin, '/organizational-handling', { measure: 'admonition_talk', subject: '王某', decidedBy: '县委组织部部务会', decidedOn: todayInShanghai(), reason: '逾期未整改' }, 409);
    expect(early.body.code).toBe('ORG_HANDLING_AFTER_INTERVIEW');
    expect((await play.post(people.townshipSecretary, '/organizational-handling', { measure: 'admonition_talk', subject: '王某', decidedBy: '县委', decidedOn: todayInShanghai(), reason: '逾期' }, 403)).body.code).toBe('FORBIDDEN');

    // The dashboard counts 组织处理 asked and decided (the clock's part simulated in the read model).
    const handling = {
      due: [{ deadlineKey: 'year_end', title: '年底转化提升', dueOn: `${year}-12-31`, raisedAt: new Date().toISOString() }, { deadlineKey: 'secretary', title: '选配书记', dueOn: `${year}-06-30`, raisedAt: new Date().toISOString(), decisionId: 'oh1' }],
      decisions: [{ id: 'oh1', measure: 'adjustment', subject: '王某', decidedBy: '县委组织部部务会', decidedOn: `${year}-08-20`, reason: '约谈后仍未到位', deadlineKeys: ['secretary'], recordedBy: SYSTEM_ACTOR, recordedAt: new Date().toISOString() }],
    };
    await h.dataSource.query(`UPDATE rectification_case SET state = jsonb_set(state, '{organizationalHandling}', $2::jsonb) WHERE id = $1`, [play.caseId, JSON.stringify(handling)]);
    await refreshCaseAggregates(h.dataSource, [play.caseId]); // the columns the dashboard counts, as a projection writes them
    const overview = (await as(h.app, people.countyAdmin).get(`/api/dashboard/overview?batchYear=${year}`).expect(200)).body as Overview;
    expect(overview.organizationalHandling).toEqual({ awaitingDecision: 1, decided: 1, byMeasure: { admonition_talk: 0, adjustment: 1, dismissal: 0, other: 0 } });
  });
});
