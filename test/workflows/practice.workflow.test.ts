import { caseIdFor, DEFAULT_ACCEPTANCE_FORM, DEFAULT_INSPECTION_STEPS, DEFAULT_POLICY, practiceFor, type Actor, type InspectionStep, type LocalDate, type OrganizationDomain } from '../../libs/domain';
import type { OrganizationEntity } from '../../libs/persistence';
import { AuditEntryEntity, TaskEntity } from '../../libs/persistence';
import { getAcceptanceConditionsQuery, RECTIFY_CASE_WORKFLOW_TYPE, type RectifyCaseWorkflow } from '../../libs/contracts/rectify-case';
import { CaseDriver, CONTACT_LEADER_ACTOR, COUNTY_ADMIN, skipTo, TEAM_LEADER, TOWNSHIP_SECRETARY } from '../support/case-driver';
import { createRegionWithOrganizations, eventually } from '../support/harness';
import { startTimeSkipping, type TimeSkipping } from '../support/time-skipping';

/**
 * Issue 18 items 1–3 in the running workflow (time-skipping server, real activities): the playbook
 * by kind, the county's inspection of key steps, and the scored acceptance with its satisfaction veto.
 */
const INSPECTOR: Actor = { id: 'u-inspector', name: '督查 孙督', role: 'inspector' };
const TODAY: LocalDate = '2030-03-04';
/** A county that turned on the inspection of the three key steps and the scored acceptance, with the offered defaults. */
const POLICY = { ...DEFAULT_POLICY, version: 3, inspectionSteps: DEFAULT_INSPECTION_STEPS, acceptanceForm: DEFAULT_ACCEPTANCE_FORM };

const fullMarks = (pick = (max: number) => max) => DEFAULT_ACCEPTANCE_FORM.areas.flatMap((a) => a.items.map((i) => ({ code: i.code, score: pick(i.max) })));

describe('rectifyCase: playbooks by kind, inspection at key steps, scored acceptance (issue 18)', () => {
  let ts: TimeSkipping;
  afterEach(async () => {
    await ts?.close();
  });

  async function designate(domain: OrganizationDomain): Promise<CaseDriver> {
    ts = await startTimeSkipping();
    const region = await createRegionWithOrganizations(ts.dataSource, 1);
    await skipTo(ts, TODAY);
    const org: OrganizationEntity = region.organizations[0];
    const caseId = caseIdFor(org.id, 2030);
    const handle = await ts.env.client.workflow.start<RectifyCaseWorkflow>(RECTIFY_CASE_WORKFLOW_TYPE, {
      taskQueue: ts.taskQueue,
      workflowId: caseId,
      args: [
        {
          designation: {
            caseId,
            organization: { id: org.id, name: org.name, townshipId: org.townshipId, countyId: org.countyId, domain },
            batchYear: 2030,
            reasons: ['C1', 'C4'],
            designatedBy: COUNTY_ADMIN,
            designatedAt: new Date(await ts.env.currentTimeMs()).toISOString(),
            policy: POLICY,
            practice: practiceFor(POLICY, domain),
          },
        },
      ],
    });
    const c = new CaseDriver(ts, handle);
    await c.assignLeader();
    await c.appointTeam(TODAY);
    await c.visit(TODAY);
    return c;
  }

  /** The newest waiting inspection of a step. */
  async function pending(c: CaseDriver, step: InspectionStep) {
    const i = (await c.state()).inspections!.filter((x) => x.step === step && x.status === 'pending').at(-1);
    if (!i) throw new Error(`no ${step} waiting for inspection`);
    return i;
  }

  /** Every track done, each inspected step passed by the county; the sixth track's project only if asked. */
  async function runPlaybook(c: CaseDriver, project?: { name: string; kind: string }) {
    const problems = await c.addProblems(1);
    await c.do('confirmProblemList', { actor: TOWNSHIP_SECRETARY });
    await c.do('passInspection', { actor: COUNTY_ADMIN, inspectionId: (await pending(c, 'problem_list')).id });
    await c.consultAll(TODAY);
    const measures = await c.planFor(problems, '2030-06-30');
    await c.do('approvePlan', { actor: TOWNSHIP_SECRETARY });
    await c.do('passInspection', { actor: INSPECTOR, inspectionId: (await pending(c, 'plan')).id, opinion: '方案针对性强' });
    for (const m of measures) await c.do('updateMeasureProgress', { actor: TEAM_LEADER, measureId: m, percent: 100, note: '已完成' });
    for (const p of problems) await c.do('closeProblem', { actor: TEAM_LEADER, problemId: p, fixEvidence: '会议记录3份、整改前后照片12张' });
    await c.do('appointSecretary', { actor: TOWNSHIP_SECRETARY, name: '周新书', source: 'from_village', appointedOn: TODAY });
    if (project) await c.do('addCollectiveProject', { actor: TEAM_LEADER, ...project, supportFunds: 0, startOn: TODAY, expectedYearlyIncome: 0 });
    await c.do('recordTraining', { actor: COUNTY_ADMIN, secretaryName: '周新书', session: '软弱涣散党组织书记专题培训班', attendedOn: TODAY, evidence: '培训签到表、结业证书' });
    await c.do('recordPracticalThing', { actor: CONTACT_LEADER_ACTOR, title: '修缮活动阵地', description: '维修党员活动室', doneOn: TODAY, evidence: '验收单、竣工照片' });
  }

  const audit = (caseId: string, action: string) => ts.dataSource.getRepository(AuditEntryEntity).findBy({ caseId, action });
  const openTasks = (caseId: string) => ts.dataSource.getRepository(TaskEntity).find({ where: { caseId, status: 'open' } });

  it('a school case is accepted without a collective-economy project: its playbook asks for its own project', async () => {
    const c = await designate('school');
    expect((await c.state()).practice).toMatchObject({ domain: 'school', playbook: { sixthTrack: '“四个认同”教育课堂化项目' } });
    await runPlaybook(c, { name: '“四个认同”进课堂', kind: '党建引领' });
    const s = await c.do('requestAcceptance', { actor: TOWNSHIP_SECRETARY, summary: '各项任务完成' });
    expect(s.stage).toBe('awaiting_acceptance');
    await c.do('passInspection', { actor: COUNTY_ADMIN, inspectionId: (await pending(c, 'acceptance_request')).id });
    await c.do('scoreAcceptance', { actor: COUNTY_ADMIN, items: fullMarks((max) => max - 1), survey: { asked: 30, satisfied: 27, dissatisfied: 3 } });
    const accepted = await c.do('acceptCase', { actor: COUNTY_ADMIN, opinion: '同意销号' });
    expect(accepted.stage).toBe('converted');
    expect(accepted.projects.map((p) => p.name)).toEqual(['“四个认同”进课堂']);
    expect(accepted.acceptanceScorings!.at(-1)).toMatchObject({ total: 76, max: 100, passMark: 70, passed: true, vetoed: false });
    expect((await audit(c.caseId, 'acceptance.scored'))[0].payload).toMatchObject({ total: 76, passed: true });
  });

  it('a village case without its collective-economy project is refused acceptance, naming the project', async () => {
    const c = await designate('village');
    await runPlaybook(c);
    const refusal = await c.refused('requestAcceptance', { actor: TOWNSHIP_SECRETARY });
    expect(refusal.rule).toBe('ACCEPTANCE_CONDITIONS_UNMET');
    expect((refusal.details as { unmet: { code: string; zh: string }[] }).unmet).toEqual([expect.objectContaining({ code: 'COLLECTIVE_PROJECT', zh: '至少发展一个村集体经济项目' })]);
    await c.do('addCollectiveProject', { actor: TEAM_LEADER, name: '村集体光伏电站', kind: '光伏发电', supportFunds: 500000, startOn: TODAY, expectedYearlyIncome: 60000 });
    expect((await c.do('requestAcceptance', { actor: TOWNSHIP_SECRETARY })).stage).toBe('awaiting_acceptance');
  });

  it('a plan sent back by the county opens again for the township, and counts once approved and passed', async () => {
    const c = await designate('community');
    const problems = await c.addProblems(1);
    await c.do('confirmProblemList', { actor: TOWNSHIP_SECRETARY });
    await c.consultAll(TODAY);
    await c.planFor(problems, '2030-06-30');
    // The problem list waits for the county: the plan cannot be approved on it yet.
    expect((await c.refused('approvePlan', { actor: TOWNSHIP_SECRETARY })).rule).toBe('INSPECTION_PENDING');
    const list = await pending(c, 'problem_list');
    expect((await c.refused('passInspection', { actor: TOWNSHIP_SECRETARY, inspectionId: list.id })).rule).toBe('ROLE_NOT_ALLOWED');
    await c.do('passInspection', { actor: INSPECTOR, inspectionId: list.id });

    await c.do('approvePlan', { actor: TOWNSHIP_SECRETARY });
    const plan = await pending(c, 'plan');
    expect(plan.dueOn).toBe('2030-03-14');
    const waiting = (await openTasks(c.caseId)).find((t) => t.kind === 'inspect_step');
    expect(waiting).toMatchObject({ assigneeRole: 'county_org_admin', title: expect.stringContaining('整顿方案') });
    expect((await c.refused('sendBackInspection', { actor: COUNTY_ADMIN, inspectionId: plan.id, reason: '太短' })).rule).toBe('SEND_BACK_NEEDS_REASON');
    const sentBack = await c.do('sendBackInspection', { actor: COUNTY_ADMIN, inspectionId: plan.id, reason: '整改措施未对应群众反映的阵地问题，请补充' });
    expect(sentBack.planApprovedAt).toBeUndefined();
    expect(sentBack.inspections!.find((i) => i.id === plan.id)).toMatchObject({ status: 'sent_back', opinion: '整改措施未对应群众反映的阵地问题，请补充', decidedBy: { role: 'county_org_admin' } });
    expect((await audit(c.caseId, 'inspection.sent_back'))[0].payload).toMatchObject({ step: 'plan', reason: '整改措施未对应群众反映的阵地问题，请补充' });
    expect((await openTasks(c.caseId)).map((t) => t.kind)).toContain('approve_plan');

    await c.do('approvePlan', { actor: TOWNSHIP_SECRETARY });
    const again = await pending(c, 'plan');
    expect(again.id).not.toBe(plan.id);
    const passed = await c.do('passInspection', { actor: COUNTY_ADMIN, inspectionId: again.id, opinion: '同意' });
    expect(passed.planApprovedAt).toBeDefined();
    expect(passed.inspections!.filter((i) => i.step === 'plan').map((i) => i.status)).toEqual(['sent_back', 'passed']);
    expect((await openTasks(c.caseId)).map((t) => t.kind)).not.toContain('inspect_step');
    expect((await c.refused('passInspection', { actor: COUNTY_ADMIN, inspectionId: again.id })).rule).toBe('INSPECTION_NOT_PENDING');
  });

  it('a step left waiting past its due date climbs the ladder to the county organization department, and the decision closes it', async () => {
    const c = await designate('school');
    await c.addProblems(1);
    await c.do('confirmProblemList', { actor: TOWNSHIP_SECRETARY });
    const list = await pending(c, 'problem_list');
    expect(list.dueOn).toBe('2030-03-14');
    await c.skipTo('2030-03-16');
    const escalations = () =>
      ts.dataSource.query(`SELECT rung, kind, resolved_at FROM escalation WHERE case_id = $1 AND deadline_key = $2`, [c.caseId, `inspection:${list.id}`]) as Promise<{ rung: string; kind: string; resolved_at: Date | null }[]>;
    const raised = await eventually(async () => ((await escalations()).length ? escalations() : undefined), 15000, 'the 督办 of the waiting step');
    expect(raised).toEqual([expect.objectContaining({ rung: 'supervision', kind: 'inspection', resolved_at: null })]);
    await c.do('passInspection', { actor: INSPECTOR, inspectionId: list.id });
    expect((await escalations()).every((e) => e.resolved_at !== null)).toBe(true);
  });

  it('an acceptance with every condition met and a passing score is refused by the satisfaction veto', async () => {
    const c = await designate('village');
    await runPlaybook(c, { name: '村集体光伏电站', kind: '光伏发电' });
    await c.do('requestAcceptance', { actor: TOWNSHIP_SECRETARY });
    expect((await c.refused('scoreAcceptance', { actor: COUNTY_ADMIN, items: fullMarks(), survey: { asked: 20, satisfied: 9, dissatisfied: 11 } })).rule).toBe('INSPECTION_PENDING');
    await c.do('passInspection', { actor: COUNTY_ADMIN, inspectionId: (await pending(c, 'acceptance_request')).id });
    expect((await c.refused('acceptCase', { actor: COUNTY_ADMIN, opinion: '同意' })).rule).toBe('ACCEPTANCE_NOT_SCORED');
    expect((await c.refused('scoreAcceptance', { actor: COUNTY_ADMIN, items: fullMarks().slice(1), survey: { asked: 20, satisfied: 9, dissatisfied: 11 } })).rule).toBe('ACCEPTANCE_FORM_INCOMPLETE');

    const scored = await c.do('scoreAcceptance', { actor: COUNTY_ADMIN, items: fullMarks(), survey: { asked: 20, satisfied: 9, dissatisfied: 11 } });
    expect(scored.acceptanceScorings!.at(-1)).toMatchObject({ total: 100, vetoed: true, passed: false });
    const conditions = await c.handle.query(getAcceptanceConditionsQuery);
    expect(conditions.every((x) => x.met)).toBe(true);
    const refusal = await c.refused('acceptCase', { actor: COUNTY_ADMIN, opinion: '同意' });
    expect(refusal.rule).toBe('SATISFACTION_VETO');

    // Exactly half dissatisfied is no veto; the score is then what decides.
    await c.do('scoreAcceptance', { actor: COUNTY_ADMIN, items: fullMarks((max) => Math.floor(max / 2)), survey: { asked: 20, satisfied: 10, dissatisfied: 10 } });
    expect((await c.refused('acceptCase', { actor: COUNTY_ADMIN, opinion: '同意' })).rule).toBe('ACCEPTANCE_SCORE_BELOW_PASS');
    await c.do('scoreAcceptance', { actor: COUNTY_ADMIN, items: fullMarks(), survey: { asked: 20, satisfied: 10, dissatisfied: 10 } });
    expect((await c.do('acceptCase', { actor: COUNTY_ADMIN, opinion: '同意销号' })).stage).toBe('converted');
  });
});
