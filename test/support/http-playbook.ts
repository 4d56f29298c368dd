import type { INestApplication } from '@nestjs/common';
import type { Response } from 'supertest';
import type { DataSource } from 'typeorm';
import { caseIdFor, shanghaiDateOf, type AcceptanceForm, type CaseState, type DesignationReason, type LocalDate, type SatisfactionSurvey } from '../../libs/domain';
import { AuditEntryEntity, type OrganizationEntity } from '../../libs/persistence';
import { as, type Personas, type TestUser } from './auth';
import { eventually } from './harness';

/** Today in Asia/Shanghai: the API runs on the real clock, and dates may be neither future nor before designation. */
export const todayInShanghai = (): LocalDate => shanghaiDateOf(Date.now());

export const HTTP_TEAM = [
  { name: '张科', rank: 'section', unit: '县农业农村局', isLeader: true },
  { name: '刘员', rank: 'staff', unit: '镇政府' },
  { name: '陈员', rank: 'staff', unit: '镇财政所' },
];

export const CONSULTATION_KINDS_ALL = ['party_members_meeting', 'villager_representatives_meeting', 'household_visits', 'heart_to_heart_talks'] as const;

/** Every item of a form at its full marks. */
export const fullMarks = (form: AcceptanceForm) => form.areas.flatMap((a) => a.items.map((i) => ({ code: i.code, score: i.max })));

/** A satisfaction survey well clear of the veto. */
export const SATISFIED_SURVEY: SatisfactionSurvey = { asked: 30, satisfied: 28, dissatisfied: 1 };

/**
 * Drives one case through the playbook over HTTP alone, each step as the persona whose job it is —
 * the HTTP twin of test/support/case-driver.ts. Every step expects its status and returns the new
 * state the endpoint answered with.
 *
 * Cases designated under the default practice (issue 18) wait for the county after the problem list,
 * the plan and the acceptance request (关键环节督导把关), and are accepted on a scored form: the steps
 * below pass each waiting inspection right away as the county's inspector, and accept() scores the
 * form first. A test of the waiting itself posts the step with act() instead.
 */
export class HttpPlaybook {
  constructor(
    readonly app: INestApplication,
    readonly ds: DataSource,
    readonly people: Personas,
    readonly caseId: string,
  ) {}

  /** The county organization department designates the organization; waits for the read-model row. */
  static async designate(
    app: INestApplication,
    ds: DataSource,
    people: Personas,
    org: OrganizationEntity,
    batchYear: number,
    reasons: DesignationReason[] = ['C1', 'C4'],
  ): Promise<HttpPlaybook> {
    await as(app, people.countyAdmin).post('/api/cases').send({ organizationId: org.id, batchYear, reasons, note: '书记长期缺职，组织生活不正常' }).expect(201);
    const play = new HttpPlaybook(app, ds, people, caseIdFor(org.id, batchYear));
    await eventually(async () => (await play.version()) ?? undefined, 15000, 'case row');
    return play;
  }

  /** POST an action of this case as `user`; expects `status` and answers the response. */
  async post(user: TestUser, path: string, body: object, status: number): Promise<Response> {
    const res = await as(this.app, user).post(`/api/cases/${this.caseId}${path}`).send(body);
    if (res.status !== status) throw new Error(`POST ${path} as ${user.role}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  }

  /**
   * When set, every action is followed by GET /api/cases/:id as the same user, which must already show it: the
   * row and the workflow at the answered version, and the answered state the row's (the state the action made;
   * the workflow's own may have moved on without a new version, as when its clock notes the quarter).
   */
  readBack = false;

  /** POST an action that must go through; returns the new state it answered with. */
  async act(user: TestUser, path: string, body: object = {}, status = 200): Promise<CaseState> {
    const res = await this.post(user, path, body, status);
    expect(res.body.id).toBe(this.caseId);
    const state = res.body.state as CaseState;
    if (this.readBack) {
      const got = await this.get(user);
      expect({ path, record: got.record.version, live: got.live.version }).toEqual({ path, record: state.version, live: state.version });
      const { noticesRaisedByRung: _raised, ...answered } = state as CaseState & { noticesRaisedByRung?: unknown };
      expect({ path, state: answered }).toEqual({ path, state: got.record.state });
    }
    return state;
  }

  /** GET /api/cases/:id as `user` (the county admin by default). */
  async get(user: TestUser = this.people.countyAdmin) {
    return (await as(this.app, user).get(`/api/cases/${this.caseId}`).expect(200)).body as { id: string; record: { version: number; stage: string } & Record<string, unknown>; live: CaseState };
  }

  /** The read model's version of the case (null before the first projection). */
  async version(): Promise<number | null> {
    const rows: { version: number }[] = await this.ds.query('SELECT version FROM rectification_case WHERE id = $1', [this.caseId]);
    return rows[0]?.version ?? null;
  }

  auditCount(): Promise<number> {
    return this.ds.getRepository(AuditEntryEntity).countBy({ caseId: this.caseId });
  }

  /** What "nothing changed" compares: the version GET shows and the number of audit rows. */
  async footprint(): Promise<{ version: number; liveVersion: number; audit: number }> {
    const got = await this.get();
    return { version: got.record.version, liveVersion: got.live.version, audit: await this.auditCount() };
  }

  // -- the playbook, step by step ------------------------------------------------------------------

  assignLeader(leader: TestUser = this.people.countyLeader) {
    return this.act(this.people.countyAdmin, '/contact-leader', { leaderUserId: leader.id });
  }

  appointTeam(arrivedOn: LocalDate = todayInShanghai(), members: object[] = HTTP_TEAM) {
    return this.act(this.people.townshipSecretary, '/team', { arrivedOn, members }, 201);
  }

  visit(visitedOn: LocalDate = todayInShanghai(), by: TestUser = this.people.countyLeader) {
    return this.act(by, '/visits', { visitedOn, place: '村党群服务中心', summary: '听取汇报，走访党员群众', problemsFound: ['组织生活不经常'] }, 201);
  }

  async addProblems(n: number, by: TestUser = this.people.teamLeader): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const s = await this.act(
        by,
        '/problems',
        { description: `问题${i + 1}：三会一课不正常`, reasonCode: 'C4', cureTag: '治散', rootCause: '支部书记缺位，无人组织', evidence: '会议记录本空白' },
        201,
      );
      ids.push(s.problems[s.problems.length - 1].id);
    }
    return ids;
  }

  /** The township secretary confirms the list; the county's inspector passes it. */
  async confirmProblemList(): Promise<CaseState> {
    return this.passInspections(await this.act(this.people.townshipSecretary, '/problem-list/confirm'));
  }

  /**
   * Passes every inspection waiting on the case (as the county's inspector unless `by` is given);
   * answers the state after the last, or `state` (by default the live one) when none waits.
   */
  async passInspections(state?: CaseState, by: TestUser = this.people.inspector): Promise<CaseState> {
    let current = state ?? (await this.get()).live;
    for (const i of (current.inspections ?? []).filter((x) => x.status === 'pending')) current = await this.act(by, '/inspections/pass', { inspectionId: i.id, opinion: '经督导把关，同意' });
    return current;
  }

  async consultAll(heldOn: LocalDate = todayInShanghai(), by: TestUser = this.people.teamMember): Promise<CaseState> {
    let state: CaseState | undefined;
    for (const kind of CONSULTATION_KINDS_ALL) state = await this.act(by, '/consultations', { kind, heldOn, participants: 12, summary: '征求意见建议' }, 201);
    return state!;
  }

  async planFor(problemIds: string[], dueOn: LocalDate, by: TestUser = this.people.teamLeader): Promise<string[]> {
    const ids: string[] = [];
    for (const p of problemIds) {
      const s = await this.act(by, '/measures', { description: `整改 ${p}`, problemIds: [p], owner: '张科', dueOn }, 201);
      ids.push(s.measures[s.measures.length - 1].id);
    }
    return ids;
  }

  /** The township Party committee approves the plan; the county's inspector passes it. */
  async approvePlan(): Promise<CaseState> {
    return this.passInspections(await this.act(this.people.townshipSecretary, '/plan/approve'));
  }

  progress(measureId: string, percent: number, by: TestUser = this.people.teamMember) {
    return this.act(by, `/measures/${measureId}/progress`, { percent, note: percent >= 100 ? '已完成' : '推进中' }, 201);
  }

  closeProblem(problemId: string, by: TestUser = this.people.teamLeader) {
    return this.act(by, `/problems/${problemId}/close`, { fixEvidence: '会议记录3份、整改前后照片12张' });
  }

  appointSecretary(appointedOn: LocalDate = todayInShanghai()) {
    return this.act(this.people.townshipSecretary, '/secretary', { name: '周新书', source: 'from_village', appointedOn }, 201);
  }

  addProject(startOn: LocalDate = todayInShanghai(), by: TestUser = this.people.teamLeader) {
    return this.act(by, '/projects', { name: '村集体光伏电站', kind: '光伏发电', supportFunds: 500000, startOn, expectedYearlyIncome: 60000 }, 201);
  }

  practicalThing(doneOn: LocalDate = todayInShanghai(), by: TestUser = this.people.countyLeader) {
    return this.act(by, '/practical-things', { title: '修通村组道路', description: '硬化道路1.2公里', doneOn, evidence: '村民代表签字的验收单、竣工照片' }, 201);
  }

  /** The secretary at the county's special training (an acceptance condition since issue 16). */
  training(attendedOn: LocalDate = todayInShanghai()) {
    return this.act(this.people.countyAdmin, '/trainings', { secretaryName: '周新书', session: '软弱涣散党组织书记专题培训班', attendedOn, evidence: '培训签到表、结业证书' }, 201);
  }

  /** The township asks for acceptance; the county's inspector passes the request. */
  async requestAcceptance(): Promise<CaseState> {
    return this.passInspections(await this.act(this.people.townshipSecretary, '/acceptance/request', { summary: '各项整顿任务已完成' }));
  }

  /** The county's acceptance team fills the case's form (every item at full marks unless `items` are given) and counts the survey. */
  async score(items?: { code: string; score: number }[], survey: SatisfactionSurvey = SATISFIED_SURVEY): Promise<CaseState> {
    const form = items ? undefined : (await this.get()).live.practice?.acceptanceForm;
    if (!items && !form) throw new Error(`case ${this.caseId} has no acceptance form to score`);
    return this.act(this.people.countyAdmin, '/acceptance/score', { items: items ?? fullMarks(form!), survey, note: '验收组实地评分，群众满意度测评' }, 201);
  }

  /**
   * The county accepts. On a case of the default practice it first gets what acceptance needs: the
   * township's request (passed by the inspector) when still rectifying, and a passing scoring.
   */
  async accept(): Promise<CaseState> {
    let live = (await this.get()).live;
    const practice = live.practice;
    if (practice && live.stage === 'rectifying' && (practice.inspectionSteps.includes('acceptance_request') || practice.acceptanceForm)) live = await this.requestAcceptance();
    else if (practice) live = await this.passInspections(live);
    const requestedAt = live.acceptanceRequestedAt;
    if (practice?.acceptanceForm && !(live.acceptanceScorings ?? []).some((s) => s.forRequestAt === requestedAt)) await this.score(fullMarks(practice.acceptanceForm));
    return this.act(this.people.countyAdmin, '/acceptance', { opinion: '经验收，已转化提升' }, 201);
  }

  /** Contact leader and team in place: the case is rectifying. */
  async start(): Promise<CaseState> {
    await this.assignLeader();
    return this.appointTeam();
  }

  /** From a rectifying case to one that meets every condition of acceptance. */
  async completePlaybook(today: LocalDate = todayInShanghai()): Promise<CaseState> {
    await this.visit(today);
    const problems = await this.addProblems(2);
    await this.confirmProblemList();
    await this.consultAll(today);
    const measures = await this.planFor(problems, '2030-06-30');
    await this.approvePlan();
    for (const m of measures) await this.progress(m, 100);
    for (const p of problems) await this.closeProblem(p);
    await this.appointSecretary(today);
    await this.addProject(today);
    await this.training(today);
    return this.practicalThing(today);
  }
}
