import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import {
  caseIdFor,
  DEFAULT_POLICY,
  startOfShanghaiDay,
  type Actor,
  type CaseCommandInputs,
  type CaseCommandName,
  type CaseAnswer,
  type CaseState,
  type DesignationReason,
  type LocalDate,
  type RectificationPolicy,
} from '../../libs/domain';
import type { OrganizationEntity } from '../../libs/persistence';
import { ruleViolationOf, type CaseRuleViolationError } from '../../libs/temporal';
import { caseUpdates, getCaseStateQuery, NEW_RUNS_TAKE_PATCHES, RECTIFY_CASE_WORKFLOW_TYPE, type RectifyCaseWorkflow } from '../../libs/contracts/rectify-case';
import { recordHistoryFixture } from './history-events';
import type { TimeSkipping } from './time-skipping';

export const COUNTY_ADMIN: Actor = { id: 'u-county-admin', name: '县委组织部 李组织', role: 'county_org_admin' };
export const TOWNSHIP_SECRETARY: Actor = { id: 'u-township-sec', name: '乡镇党委书记 王镇', role: 'township_party_secretary' };
export const TEAM_LEADER: Actor = { id: 'u-team-leader', name: '队长 张科', role: 'team_leader' };
export const CONTACT_LEADER = { id: 'u-county-leader', name: '县级领导 赵县', title: '县委常委、组织部长', isCountyPartySecretary: false };
export const CONTACT_LEADER_ACTOR: Actor = { id: CONTACT_LEADER.id, name: CONTACT_LEADER.name, role: 'county_leader' };
export const COUNTY_PARTY_SECRETARY = { id: 'u-county-secretary', name: '县委书记 钱书', title: '县委书记', isCountyPartySecretary: true };

export const FULL_TEAM = [
  { name: '张科', rank: 'section' as const, unit: '县农业农村局', isLeader: true },
  { name: '刘员', rank: 'staff' as const, unit: '镇政府' },
  { name: '陈员', rank: 'staff' as const, unit: '镇财政所' },
];

/** Fast-forwards the time-skipping server's clock to a Shanghai date and hour. */
export async function skipTo(ts: TimeSkipping, date: LocalDate, hour = 10): Promise<void> {
  const target = startOfShanghaiDay(date) + hour * 3600_000;
  const now = await ts.env.currentTimeMs();
  if (target <= now) throw new Error(`cannot skip back to ${date}`);
  await ts.env.sleep(target - now);
}

/** Drives one case on the time-skipping server through its updates. */
export class CaseDriver {
  constructor(
    readonly ts: TimeSkipping,
    readonly handle: WorkflowHandleWithFirstExecutionRunId<RectifyCaseWorkflow>,
  ) {}

  get caseId(): string {
    return this.handle.workflowId;
  }

  static async designate(
    ts: TimeSkipping,
    org: OrganizationEntity,
    /** `startedByOlderApi`: the input without `takesPatches`, as the API started cases before it named them. */
    opts: { batchYear: number; reasons?: DesignationReason[]; policy?: Partial<RectificationPolicy>; startedByOlderApi?: boolean },
  ): Promise<CaseDriver> {
    const caseId = caseIdFor(org.id, opts.batchYear);
    const handle = await ts.env.client.workflow.start<RectifyCaseWorkflow>(RECTIFY_CASE_WORKFLOW_TYPE, {
      taskQueue: ts.taskQueue,
      workflowId: caseId,
      args: [
        {
          designation: {
            caseId,
            organization: { id: org.id, name: org.name, townshipId: org.townshipId, countyId: org.countyId },
            batchYear: opts.batchYear,
            reasons: opts.reasons ?? ['C1', 'C4'],
            note: '测试认定',
            designatedBy: COUNTY_ADMIN,
            designatedAt: new Date(await ts.env.currentTimeMs()).toISOString(),
            policy: { ...DEFAULT_POLICY, ...(opts.policy ?? {}) },
          },
          ...(opts.startedByOlderApi ? {} : { takesPatches: NEW_RUNS_TAKE_PATCHES }),
        },
      ],
    });
    const driver = new CaseDriver(ts, handle);
    await driver.state(); // the first workflow task has run
    return driver;
  }

  state(): Promise<CaseState> {
    return this.handle.query(getCaseStateQuery);
  }

  do<K extends CaseCommandName>(name: K, input: CaseCommandInputs[K]): Promise<CaseAnswer> {
    const update = caseUpdates[name] as unknown as UpdateDefinition<CaseAnswer, [CaseCommandInputs[K]], K>;
    return this.handle.executeUpdate(update, { args: [input] });
  }

  /** The refusal of an action, as the API will see it; fails the test if the action went through. */
  async refused<K extends CaseCommandName>(name: K, input: CaseCommandInputs[K]): Promise<CaseRuleViolationError> {
    try {
      await this.do(name, input);
    } catch (err) {
      const violation = ruleViolationOf(err);
      if (violation) return violation;
      throw err;
    }
    throw new Error(`${name} was expected to be refused but went through`);
  }

  /** Fast-forwards the server's clock to the start of a Shanghai day (plus some hours). */
  skipTo(date: LocalDate, hour = 10): Promise<void> {
    return skipTo(this.ts, date, hour);
  }

  // -- the playbook, step by step ----------------------------------------------------------------

  assignLeader(leader = CONTACT_LEADER) {
    return this.do('assignContactLeader', { actor: COUNTY_ADMIN, leader });
  }

  appointTeam(arrivedOn: LocalDate, members = FULL_TEAM) {
    return this.do('appointTeam', { actor: TOWNSHIP_SECRETARY, arrivedOn, members });
  }

  visit(visitedOn: LocalDate) {
    return this.do('recordGuidanceVisit', { actor: CONTACT_LEADER_ACTOR, visitedOn, place: '村党群服务中心', summary: '听取汇报，走访党员群众', problemsFound: ['组织生活不经常'] });
  }

  async addProblems(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const s = await this.do('addProblem', {
        actor: TEAM_LEADER,
        description: `问题${i + 1}：三会一课不正常`,
        reasonCode: 'C4',
        cureTag: '治散',
        rootCause: '支部书记缺位，无人组织',
        evidence: '2026年会议记录本空白',
      });
      ids.push(s.problems[s.problems.length - 1].id);
    }
    return ids;
  }

  async consultAll(heldOn: LocalDate): Promise<void> {
    for (const kind of ['party_members_meeting', 'villager_representatives_meeting', 'household_visits', 'heart_to_heart_talks'] as const) {
      await this.do('recordConsultation', { actor: TEAM_LEADER, kind, heldOn, participants: 12, summary: '征求意见建议' });
    }
  }

  async planFor(problemIds: string[], dueOn: LocalDate): Promise<string[]> {
    const ids: string[] = [];
    for (const p of problemIds) {
      const s = await this.do('addMeasure', { actor: TEAM_LEADER, description: `整改 ${p}`, problemIds: [p], owner: '张科', dueOn });
      ids.push(s.measures[s.measures.length - 1].id);
    }
    return ids;
  }

  /** From a case in rectifying with the team in place to one that meets every acceptance condition. */
  async completePlaybook(today: LocalDate): Promise<CaseAnswer> {
    const problems = await this.addProblems(2);
    await this.do('confirmProblemList', { actor: TOWNSHIP_SECRETARY });
    await this.consultAll(today);
    const measures = await this.planFor(problems, '2030-06-30');
    await this.do('approvePlan', { actor: TOWNSHIP_SECRETARY });
    for (const m of measures) await this.do('updateMeasureProgress', { actor: TEAM_LEADER, measureId: m, percent: 100, note: '已完成' });
    for (const p of problems) await this.do('closeProblem', { actor: TEAM_LEADER, problemId: p, fixEvidence: '会议记录3份、整改前后照片12张' });
    await this.do('appointSecretary', { actor: TOWNSHIP_SECRETARY, name: '周新书', source: 'from_village', appointedOn: today });
    await this.do('addCollectiveProject', { actor: TEAM_LEADER, name: '村集体光伏电站', kind: '光伏发电', supportFunds: 500000, startOn: today, expectedYearlyIncome: 60000 });
    await this.do('recordTraining', { actor: COUNTY_ADMIN, secretaryName: '周新书', session: '软弱涣散党组织书记专题培训班', attendedOn: today, evidence: '培训签到表、结业证书' });
    return this.do('recordPracticalThing', { actor: CONTACT_LEADER_ACTOR, title: '修通村组道路', description: '硬化道路1.2公里', doneOn: today, evidence: '村民代表签字的验收单、竣工照片' });
  }

  /** Saves this workflow's history as a replay fixture when RECORD_HISTORIES=1 (recordHistoryFixture). */
  async recordHistory(name: string): Promise<void> {
    if (process.env.RECORD_HISTORIES !== '1') return;
    recordHistoryFixture(name, await this.handle.fetchHistory());
  }
}
