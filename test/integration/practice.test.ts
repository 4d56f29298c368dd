import { Workbook } from 'exceljs';
import type request from 'supertest';
import { DEFAULT_ACCEPTANCE_FORM, DEFAULT_INSPECTION_STEPS } from '../../libs/domain';
import { as, personas, signedInUser, type Personas } from '../support/auth';
import { createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';
import { HttpPlaybook } from '../support/http-playbook';

/**
 * Issue 18 over HTTP: inspection of key steps and the scored acceptance are the default; a county
 * chooses its steps and form by publishing them, never none. A case designated keeps them, a step
 * waits on the county's dashboard until the inspector passes it, a short reason for sending back is
 * 400, and the form is checked.
 */
describe('inspection at key steps and scored acceptance over HTTP', () => {
  let h: Harness;
  let people: Personas;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 1);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
  });
  afterAll(() => h?.close());

  it('holds a case designated under the default policy at each key step until the county passes it, and accepts it only on a scored form', async () => {
    const other = await createRegionWithOrganizations(h.dataSource, 1);
    const folk = await personas(h.app, h.dataSource, { countyId: other.county.id, townshipId: other.township.id, villageId: other.organizations[0].regionId });
    const play = await HttpPlaybook.designate(h.app, h.dataSource, folk, other.organizations[0], 2030);
    await play.start();
    await play.visit();
    const problems = await play.addProblems(1);
    const confirmed = await play.act(folk.townshipSecretary, '/problem-list/confirm', {});
    expect(confirmed.practice).toMatchObject({ inspectionSteps: DEFAULT_INSPECTION_STEPS, acceptanceForm: DEFAULT_ACCEPTANCE_FORM });
    expect(confirmed.inspections).toEqual([expect.objectContaining({ step: 'problem_list', status: 'pending' })]);
    const overview = (await as(h.app, folk.countyAdmin).get('/api/dashboard/overview?batchYear=2030').expect(200)).body;
    expect(overview.inspections).toMatchObject({ waiting: 1, items: [{ caseId: play.caseId, title: expect.stringContaining('问题清单') }] });

    // The township may not approve the plan while the county has not passed the problem list.
    await play.consultAll();
    await play.planFor(problems, '2030-06-30');
    const held = await play.post(folk.townshipSecretary, '/plan/approve', {}, 409);
    expect(held.body).toMatchObject({ code: 'INSPECTION_PENDING', message: expect.stringContaining('督导把关') });
    await play.passInspections();
    const approved = await play.act(folk.townshipSecretary, '/plan/approve', {});
    expect(approved.inspections!.map((i) => [i.step, i.status])).toEqual([
      ['problem_list', 'passed'],
      ['plan', 'pending'],
    ]);
    await play.passInspections();

    // Every condition met and the request passed: acceptance still waits for the scored form.
    for (const m of approved.measures) await play.progress(m.id, 100);
    for (const p of problems) await play.closeProblem(p);
    await play.appointSecretary();
    await play.addProject();
    await play.training();
    await play.practicalThing();
    await play.requestAcceptance();
    const unscored = await play.post(folk.countyAdmin, '/acceptance', { opinion: '经验收，已转化提升' }, 409);
    expect(unscored.body.code).toBe('ACCEPTANCE_NOT_SCORED');
    await play.score();
    expect((await play.accept()).stage).toBe('converted');
  });

  it('refuses a policy that drops inspection or the acceptance form, naming the seed (seed 001 §一(四))', async () => {
    const none = await as(h.app, people.countyAdmin).post(`/api/counties/${orgs.county.id}/policy`).send({ inspectionSteps: [], note: '取消督导把关' }).expect(400);
    expect(none.body).toMatchObject({ code: 'POLICY_INVALID', details: { problems: [expect.stringMatching(/inspectionSteps（督导把关环节）至少选一项.*seed 001 §一\(四\)/)] } });
    const noForm = await as(h.app, people.countyAdmin).post(`/api/counties/${orgs.county.id}/policy`).send({ acceptanceForm: null, note: '取消验收评分' }).expect(400);
    expect(noForm.body).toMatchObject({ code: 'POLICY_INVALID', details: { problems: [expect.stringContaining('不能取消')] } });
    // One step is a choice the county may make.
    await as(h.app, people.countyAdmin).post(`/api/counties/${orgs.county.id}/policy`).send({ inspectionSteps: ['acceptance_request'], note: '只把关验收申请' }).expect(201);
  });

  it('publishes the practice, shows the waiting step on the dashboard, and lets the inspector pass it', async () => {
    await as(h.app, people.countyAdmin)
      .post(`/api/counties/${orgs.county.id}/policy`)
      .send({ inspectionSteps: DEFAULT_INSPECTION_STEPS, acceptanceForm: { ...DEFAULT_ACCEPTANCE_FORM, passMark: 101 }, note: '启用督导把关' })
      .expect(400)
      .expect((r) => expect(r.body).toMatchObject({ code: 'POLICY_INVALID', details: { problems: [expect.stringContaining('passMark')] } }));
    await as(h.app, people.countyAdmin).post(`/api/counties/${orgs.county.id}/policy`).send({ inspectionSteps: DEFAULT_INSPECTION_STEPS, acceptanceForm: DEFAULT_ACCEPTANCE_FORM, note: '启用督导把关和验收评分' }).expect(201);

    const play = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[0], 2030);
    await play.start();
    await play.addProblems(1);
    const confirmed = await play.act(people.townshipSecretary, '/problem-list/confirm', {});
    expect(confirmed.practice).toMatchObject({ domain: 'village', inspectionSteps: DEFAULT_INSPECTION_STEPS });
    const waiting = confirmed.inspections!.find((i) => i.status === 'pending')!;

    const overview = (await as(h.app, people.countyAdmin).get('/api/dashboard/overview?batchYear=2030').expect(200)).body;
    expect(overview.inspections).toMatchObject({ waiting: 1, items: [{ caseId: play.caseId, title: expect.stringContaining('问题清单') }] });

    expect((await play.post(people.countyAdmin, '/inspections/send-back', { inspectionId: waiting.id, reason: '太短' }, 400)).body.code).toBe('SEND_BACK_NEEDS_REASON');
    expect((await play.post(people.countyAdmin, '/inspections/pass', { inspectionId: 'in999' }, 404)).body.code).toBe('INSPECTION_NOT_FOUND');
    await play.post(people.townshipSecretary, '/inspections/pass', { inspectionId: waiting.id }, 403);
    const inspector = await signedInUser(h.app, h.dataSource, 'inspector', orgs.county.id, { name: '督查 孙督' });
    const passed = await play.act(inspector, '/inspections/pass', { inspectionId: waiting.id, opinion: '问题找得准' });
    expect(passed.inspections!.find((i) => i.id === waiting.id)).toMatchObject({ status: 'passed', opinion: '问题找得准' });
    expect((await as(h.app, people.countyAdmin).get('/api/dashboard/overview?batchYear=2030').expect(200)).body.inspections.waiting).toBe(0);

    // The ledger shows the kind's sixth track and each decision of the county.
    const res = await as(h.app, people.countyAdmin)
      .get('/api/exports/ledger.xlsx?batchYear=2030')
      .buffer(true)
      .parse((r: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const wb = new Workbook();
    await wb.xlsx.load(res.body as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.worksheets[0];
    const names = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    const row = Object.fromEntries(names.map((n, j) => [n, ws.getRow(2).getCell(j + 1).value]));
    expect(row).toMatchObject({ '分类整顿（第六项）': '村集体经济项目', 督导把关: '问题清单：已通过（问题找得准）', 验收评分: '' });

    // Not awaiting acceptance: the form cannot be filled yet; a malformed one is 400 before that.
    await play.post(people.countyAdmin, '/acceptance/score', { items: [{ code: 'A1', score: -1 }], survey: { asked: 10, satisfied: 5, dissatisfied: 1 } }, 400);
    expect((await play.post(people.countyAdmin, '/acceptance/score', { items: [{ code: 'A1', score: 5 }], survey: { asked: 10, satisfied: 5, dissatisfied: 1 } }, 409)).body.code).toBe('STAGE_DOES_NOT_ALLOW');
  });
});
