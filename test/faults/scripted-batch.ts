import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  addDays,
  caseIdFor,
  DEFAULT_POLICY,
  shanghaiDateOf,
  startOfShanghaiDay,
  type Actor,
  type CaseCommandInputs,
  type CaseCommandName,
  type CaseStage,
  type CaseState,
  type LocalDate,
} from '../../libs/domain';
import { AppUserEntity, NotificationChannelEntity, type OrganizationEntity } from '../../libs/persistence';
import { CaseAlreadyDesignatedError, CaseNotRunningError, CaseRuleViolationError, executeCaseCommand, queryCaseState, startRectifyCase } from '../../libs/temporal';
import { deliverNoticesWorkflowId } from '../../libs/contracts/deliver-notices';
import { createRegionWithOrganizations } from '../support/harness';

/**
 * One county's batch of cases driven through the playbook by a script, the same script for every batch
 * of a test file: run once on healthy servers it gives the reference, run again while a fault is
 * injected it must end exactly the same — per case, the same stage, version, audit trail, tasks,
 * notifications, escalations and deliveries.
 *
 * To have reminders and escalations within seconds of real time, every case is designated as of a day
 * long past (DESIGNATED_DAYS_AGO): its year end, its secretary's three months and its first measure are
 * all more than a year overdue when they are first planned, so each raises its highest rung (约谈) at
 * once — deterministically, whatever the date the suite runs on. Nothing the script does falls due
 * while it runs (the second measure is due in 200 days).
 */
export const DESIGNATED_DAYS_AGO = 800;

/** The four endings of the script, by case number modulo 4. */
export const VARIANT_STAGES: CaseStage[] = ['converted', 'rectifying', 'removed', 'awaiting_acceptance'];

const TEAM = [
  { name: '张科', rank: 'section' as const, unit: '县农业农村局', isLeader: true },
  { name: '刘员', rank: 'staff' as const, unit: '镇政府' },
  { name: '陈员', rank: 'staff' as const, unit: '镇财政所' },
];

interface People {
  countyAdmin: Actor;
  countyLeader: Actor;
  townshipSecretary: Actor;
  teamLeader: Actor;
}

/** One step of a case's script: an Update and its input, built from the state the previous step answered. */
interface Step {
  name: CaseCommandName;
  input: (s: CaseState) => object;
}

const lastId = (items: { id: string }[]) => items[items.length - 1].id;
const problemIds = (s: CaseState) => s.problems.map((p) => p.id);

/** The script of case number `n` (its variant is n % 4). */
function scriptOf(n: number, people: People, dates: { designated: LocalDate; today: LocalDate }): Step[] {
  const { countyAdmin, countyLeader, townshipSecretary, teamLeader } = people;
  const { designated, today } = dates;
  const variant = n % 4;
  const steps: Step[] = [
    { name: 'assignContactLeader', input: () => ({ actor: countyAdmin, leader: { id: countyLeader.id, name: countyLeader.name, title: '副县长', isCountyPartySecretary: false } }) },
    { name: 'recordGuidanceVisit', input: () => ({ actor: countyLeader, visitedOn: today, place: '村党群服务中心', summary: '听取汇报，走访党员群众', problemsFound: ['组织生活不经常'] }) },
    // Arrived the day of designation: the secretary's three months are long over (约谈 at once).
    // The team arrived on designation day, 800 days back: entered now, a 补录 with its reason (issue 16).
    { name: 'appointTeam', input: () => ({ actor: townshipSecretary, arrivedOn: designated, members: TEAM, lateReason: '系统上线前已进驻，按进驻通知补录' }) },
    ...[1, 2].map(
      (i): Step => ({
        name: 'addProblem',
        input: () => ({ actor: teamLeader, description: `问题${i}：三会一课不正常`, reasonCode: 'C4', cureTag: '治散', rootCause: '支部书记缺位，无人组织', evidence: '会议记录本空白' }),
      }),
    ),
    { name: 'confirmProblemList', input: () => ({ actor: townshipSecretary }) },
    ...(['party_members_meeting', 'villager_representatives_meeting', 'household_visits', 'heart_to_heart_talks'] as const).map(
      (kind): Step => ({ name: 'recordConsultation', input: () => ({ actor: teamLeader, kind, heldOn: today, participants: 12, summary: '征求意见建议' }) }),
    ),
    // One measure long overdue (约谈 at once), one due in 200 days (nothing due while the test runs).
    { name: 'addMeasure', input: (s) => ({ actor: teamLeader, description: '健全三会一课制度', problemIds: [problemIds(s)[0]], owner: '张科', dueOn: addDays(designated, 10) }) },
    { name: 'addMeasure', input: (s) => ({ actor: teamLeader, description: '建强村两委班子', problemIds: [problemIds(s)[1]], owner: '张科', dueOn: addDays(today, 200) }) },
    { name: 'approvePlan', input: () => ({ actor: townshipSecretary }) },
  ];
  if (variant === 1) return steps; // stays in rectifying with its escalations open

  steps.push(
    { name: 'updateMeasureProgress', input: (s) => ({ actor: teamLeader, measureId: s.measures[0].id, percent: 100, note: '已完成' }) },
    { name: 'updateMeasureProgress', input: (s) => ({ actor: teamLeader, measureId: lastId(s.measures), percent: 100, note: '已完成' }) },
    { name: 'closeProblem', input: (s) => ({ actor: teamLeader, problemId: problemIds(s)[0], fixEvidence: '会议记录3份、整改前后照片12张' }) },
    { name: 'closeProblem', input: (s) => ({ actor: teamLeader, problemId: problemIds(s)[1], fixEvidence: '会议记录3份、整改前后照片12张' }) },
  );
  if (variant === 2) {
    steps.push({ name: 'removeFromList', input: () => ({ actor: countyAdmin, reason: '经复核，该村认定依据不足，移出整顿名单' }) });
    return steps;
  }

  steps.push(
    { name: 'appointSecretary', input: () => ({ actor: townshipSecretary, name: '周新书', source: 'from_village', appointedOn: today }) },
    { name: 'addCollectiveProject', input: () => ({ actor: teamLeader, name: '村集体光伏电站', kind: '光伏发电', supportFunds: 500000, startOn: today, expectedYearlyIncome: 60000 }) },
    { name: 'recordTraining', input: () => ({ actor: countyAdmin, secretaryName: '周新书', session: '软弱涣散党组织书记专题培训班', attendedOn: today, evidence: '培训签到表、结业证书' }) },
    { name: 'recordPracticalThing', input: () => ({ actor: countyLeader, title: '修通村组道路', description: '硬化道路1.2公里', doneOn: today, evidence: '村民代表签字的验收单、竣工照片' }) },
    { name: 'requestAcceptance', input: () => ({ actor: townshipSecretary, summary: '六个一任务全部完成' }) },
  );
  if (variant === 3) {
    steps.push(
      { name: 'refuseAcceptance', input: () => ({ actor: countyAdmin, reason: '佐证材料不全，补充后再申请' }) },
      { name: 'requestAcceptance', input: () => ({ actor: townshipSecretary, summary: '已补充佐证材料' }) },
    );
    return steps;
  }
  steps.push({ name: 'acceptCase', input: () => ({ actor: countyAdmin, opinion: '六个一任务全部完成，群众满意' }) });
  return steps;
}

/** What the driver met on the way: errors it retried, by kind. */
export interface DriveReport {
  steps: number;
  retries: number;
  errors: Record<string, number>;
  ms: number;
}

/** A county, its township and villages, the people notices go to, and a webhook channel on `hookUrl`. */
export async function createBatchCounty(ds: DataSource, cases: number, hookUrl: string) {
  const { county, township, organizations } = await createRegionWithOrganizations(ds, cases);
  const users = ds.getRepository(AppUserEntity);
  const user = async (role: AppUserEntity['role'], regionId: string, displayName: string): Promise<Actor> => {
    const u = await users.save(users.create({ username: `${role}-${randomUUID().slice(0, 8)}`, displayName, title: '', role, regionId, passwordHash: '!', active: true }));
    return { id: u.id, name: u.displayName, role };
  };
  const people: People = {
    countyAdmin: await user('county_org_admin', county.id, '组织部干部'),
    countyLeader: await user('county_leader', county.id, '县级领导'),
    townshipSecretary: await user('township_party_secretary', township.id, '镇党委书记'),
    teamLeader: await user('team_leader', organizations[0].regionId, '工作队队长'),
  };
  // 约谈 goes to the county party secretaries: two of them, so each notice has two inbox entries.
  await user('county_party_secretary', county.id, '县委书记');
  await user('county_party_secretary', county.id, '县委副书记');
  const channels = ds.getRepository(NotificationChannelEntity);
  const channel = await channels.save(channels.create({ countyId: county.id, townshipId: township.id, kind: 'webhook', name: '镇督办群', url: hookUrl, secret: null, enabled: true, maxPerMinute: 60, batchSize: 10 }));
  return { county, township, organizations, people, channelId: channel.id };
}

export type BatchCounty = Awaited<ReturnType<typeof createBatchCounty>>;

/**
 * Drives every case of the county through its script, all cases at once, each case's steps in order.
 * Every step is an Update with an id of its own (case and step number): when an answer is lost — the
 * worker died, Temporal restarted, a call timed out — the step is sent again with the same id, and
 * Temporal answers with the first outcome instead of applying it twice. A refusal by a rule is never
 * retried: the script is valid, so a refusal means a step was applied twice, and the run fails.
 */
export class ScriptedBatch {
  readonly caseIds: string[];
  readonly expectedStages: CaseStage[];
  private readonly scripts: Step[][];
  private done = 0;
  private sent = 0;
  private readonly total: number;
  private readonly waiters: { fraction: number; resolve: () => void }[] = [];
  readonly report: DriveReport = { steps: 0, retries: 0, errors: {}, ms: 0 };

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    readonly county: BatchCounty,
    private readonly designatedAtMs: number,
  ) {
    const designated = shanghaiDateOf(designatedAtMs);
    const today = shanghaiDateOf(Date.now());
    this.caseIds = county.organizations.map((o) => caseIdFor(o.id, Number(designated.slice(0, 4))));
    this.scripts = county.organizations.map((_, n) => scriptOf(n, county.people, { designated, today }));
    this.expectedStages = county.organizations.map((_, n) => VARIANT_STAGES[n % 4]);
    this.total = this.scripts.reduce((sum, s) => sum + s.length + 1, 0);
  }

  /** Steps sent and not answered yet: Updates (or starts) in flight. */
  get inFlight(): number {
    return this.sent - this.done;
  }

  /** Steps answered so far (designations included). */
  get answered(): number {
    return this.done;
  }

  /** Resolves once this fraction of all steps (designations included) has been answered. */
  reached(fraction: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.done >= fraction * this.total) resolve();
      else this.waiters.push({ fraction, resolve });
    });
  }

  /** Resolves once `n` more steps have been answered. */
  answersFrom(n: number): Promise<void> {
    return this.reached((this.done + n) / this.total);
  }

  private stepDone(): void {
    this.done++;
    this.report.steps = this.done;
    for (const w of [...this.waiters]) {
      if (this.done >= w.fraction * this.total) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  /** Runs every case's script; resolves with the final states. */
  async run(): Promise<CaseState[]> {
    const started = Date.now();
    const states = await Promise.all(this.county.organizations.map((org, n) => this.runCase(org, n)));
    this.report.ms = Date.now() - started;
    return states;
  }

  private async runCase(org: OrganizationEntity, n: number): Promise<CaseState> {
    const caseId = this.caseIds[n];
    const designatedAt = new Date(this.designatedAtMs).toISOString();
    this.sent++;
    await this.retrying(`${caseId} designation`, async (attempt) => {
      try {
        await startRectifyCase(this.client, this.taskQueue, {
          caseId,
          organization: { id: org.id, name: org.name, townshipId: org.townshipId, countyId: org.countyId, regionId: org.regionId },
          batchYear: Number(shanghaiDateOf(this.designatedAtMs).slice(0, 4)),
          reasons: ['C1', 'C4'],
          note: '书记长期缺职，组织生活不正常',
          designatedBy: this.county.people.countyAdmin,
          designatedAt,
          policy: { ...DEFAULT_POLICY },
        });
      } catch (err) {
        // A start whose answer was lost and then sent again finds its own workflow.
        if (!(err instanceof CaseAlreadyDesignatedError && attempt > 1)) throw err;
      }
    });
    this.stepDone();

    let state = await this.retrying(`${caseId} first state`, async () => {
      const s = await queryCaseState(this.client, caseId);
      if (!s) throw new Error('not started yet');
      return s;
    });
    for (const [i, step] of this.scripts[n].entries()) {
      const input = step.input(state) as CaseCommandInputs[typeof step.name];
      const updateId = `${caseId}/step-${i + 1}-${step.name}`;
      this.sent++;
      state = await this.retrying(updateId, async (attempt) => {
        try {
          return await executeCaseCommand(this.client, caseId, step.name, input, { updateId });
        } catch (err) {
          // Taken off the list, the case's run is over: a repeat of that last step finds no running
          // workflow, and the case's state tells whether the first try went through.
          if (err instanceof CaseNotRunningError && attempt > 1 && step.name === 'removeFromList') {
            const final = await queryCaseState(this.client, caseId);
            if (final?.stage === 'removed') return final;
          }
          throw err;
        }
      });
      this.stepDone();
    }
    return state;
  }

  /** Calls `fn` until it answers; anything but a rule's refusal or a missing case is retried with a pause. */
  private async retrying<T>(what: string, fn: (attempt: number) => Promise<T>): Promise<T> {
    const deadline = Date.now() + 180_000;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(attempt);
      } catch (err) {
        if (err instanceof CaseRuleViolationError) throw new Error(`${what} was refused (${err.rule}: ${err.message}): applied twice?`);
        if (err instanceof CaseNotRunningError || err instanceof WorkflowNotFoundError) {
          if (!what.endsWith('first state')) throw err;
        }
        const kind = errorKind(err);
        if (Date.now() > deadline) throw new Error(`${what} still failing after ${attempt} attempts: ${kind}`);
        this.report.retries++;
        this.report.errors[kind] = (this.report.errors[kind] ?? 0) + 1;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** The dispatcher workflow of the county's channel. */
  get dispatcherId(): string {
    return deliverNoticesWorkflowId(this.county.channelId);
  }
}

/** An error's class and first line, and its cause's: the client's ServiceError says "Workflow Update failed", the gRPC error under it why. */
function errorKind(err: unknown): string {
  const line = (e: unknown) => `${(e as Error)?.constructor?.name ?? 'Error'}: ${String((e as Error)?.message ?? e).split('\n')[0].slice(0, 120)}`;
  const cause = (err as Error)?.cause;
  return cause ? `${line(err)} (${line(cause)})` : line(err);
}

/** Designated this many days ago, at noon Shanghai time. */
export function designatedAtMs(daysAgo = DESIGNATED_DAYS_AGO): number {
  return startOfShanghaiDay(addDays(shanghaiDateOf(Date.now()), -daysAgo)) + 12 * 3600_000;
}
