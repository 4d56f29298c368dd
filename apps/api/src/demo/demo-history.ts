import {
  addDays,
  applyClock,
  applyCommand,
  compareDates,
  designationEvent,
  newCaseState,
  nextQuarter,
  nextWakeUp,
  quarterEnd,
  quarterOf,
  quarterStart,
  shanghaiDateOf,
  startOfShanghaiDay,
  validateCommand,
  type Actor,
  type CaseAuditEvent,
  type CaseCommandInputs,
  type CaseCommandName,
  type CaseState,
  type Designation,
  type DesignationReason,
  type InspectionStep,
  type LocalDate,
  UNBENT_RULES_VERSION,
} from '../../../../libs/domain';

/**
 * The past of the demo county's mid-course cases, made by the case's own rules: the pure machine the
 * workflow runs (validateCommand / applyCommand, and applyClock at every wake-up the workflow would
 * have had), applied step by step on a past clock. Each record is entered on the day it happened, so
 * nothing is 补录. The result is the state and the audit events (with their past times) that the
 * workflow would have produced, had the county used the system since the designation.
 */

/** How long before today the demo batch was designated: about nine months, so the programme is in mid-course. */
export const DEMO_DESIGNATED_DAYS_AGO = 280;

/** The demo batch's designation day and year, from today (Asia/Shanghai). */
export function demoBatchDates(nowMs = Date.now()): { today: LocalDate; designatedOn: LocalDate; batchYear: number } {
  const today = shanghaiDateOf(nowMs);
  const designatedOn = addDays(today, -DEMO_DESIGNATED_DAYS_AGO);
  return { today, designatedOn, batchYear: Number(designatedOn.slice(0, 4)) };
}

/** Who does what in one case's history: people of the demo county. */
export interface DemoCast {
  countyAdmin: Actor;
  townshipSecretary: Actor;
  contactLeader: Actor & { title: string };
  /** Who passes the steps waiting for the county (督导把关): its inspector, or else the county organization department. */
  inspector?: Actor;
  /** The organization's branch secretary (the one appointed in the demo when the post is vacant, C1/C2). */
  branchSecretary: string;
}

/** Where a demo case stands today. */
export type DemoCourse =
  | { kind: 'converted'; acceptedDaysAgo: number }
  | { kind: 'follow_up_review'; acceptedDaysAgo: number }
  | { kind: 'relapsed'; acceptedDaysAgo: number; reviewedDaysAgo: number; findings: string }
  | { kind: 'removed'; removedDaysAgo: number; reason: string }
  /** Rectifying, one measure overdue by this many days (its rung follows from the policy's ladder). */
  | { kind: 'overdue'; overdueDays: number; percent: number; visitThisQuarter: boolean }
  /** Rectifying, its problem list or plan submitted this many days ago and waiting for the county's sign-off (督导把关). */
  | { kind: 'inspection_waiting'; step: Extract<InspectionStep, 'problem_list' | 'plan'>; submittedDaysAgo: number }
  /** Designated with nothing done since, or with only its contact leader assigned (five days in). */
  | { kind: 'designated'; withLeader: boolean };

export interface DemoCaseHistory {
  state: CaseState;
  events: CaseAuditEvent[];
}

interface Step {
  day: LocalDate;
  name: CaseCommandName;
  input: (state: CaseState) => object;
}

/** The secretary the township appoints where the post stood vacant (C1, C2). */
const APPOINTED_SECRETARY = '周新书';

const TEAM = [
  { name: '陈科长', rank: 'section' as const, unit: '县直机关工委', isLeader: true },
  { name: '黄干事', rank: 'staff' as const, unit: '乡镇党建办' },
  { name: '林干事', rank: 'staff' as const, unit: '乡镇财政所' },
];

const PROBLEMS: Record<string, { description: string; cureTag: string; rootCause: string; evidence: string }> = {
  C1: { description: '党支部书记长期缺职，支部工作无人牵头（演示数据）', cureTag: '治软', rootCause: '后备力量不足，书记人选长期未落实', evidence: '镇党委组织委员走访记录' },
  C2: { description: '党支部书记工作不在状态，群众反映办事难（演示数据）', cureTag: '治软', rootCause: '书记年龄偏大，精力不济', evidence: '镇党委召开的群众座谈会记录' },
  C3: { description: '两委班子分歧大，重大事项议而不决（演示数据）', cureTag: '治散', rootCause: '换届后分工不清，沟通机制缺失', evidence: '支部委员会会议记录及纪要' },
  C4: { description: '三会一课不经常，组织生活流于形式（演示数据）', cureTag: '治散', rootCause: '支部委员会未按月研究工作', evidence: '支部会议记录本连续多月空白' },
  C5: { description: '无固定活动场所，党员活动借用村民住房（演示数据）', cureTag: '治穷', rootCause: '集体经济薄弱，阵地建设投入不足', evidence: '镇党委实地查看照片及记录' },
  C6: { description: '服务群众意识不强，群众满意度低（演示数据）', cureTag: '治乱', rootCause: '便民服务制度未落实', evidence: '年度群众满意度测评结果' },
};

/** A visit of the contact leader in every quarter from `from` through `to` (one a quarter, after `from`). */
function quarterlyVisits(from: LocalDate, to: LocalDate, leader: Actor): Step[] {
  const steps: Step[] = [];
  for (let q = quarterOf(from); compareDates(quarterStart(q), to) <= 0; q = nextQuarter(q)) {
    let day = addDays(quarterStart(q), 20);
    if (compareDates(day, from) <= 0) day = addDays(from, 1);
    if (compareDates(day, quarterEnd(q)) > 0 || compareDates(day, to) > 0) continue;
    steps.push({
      day,
      name: 'recordGuidanceVisit',
      input: () => ({ actor: leader, visitedOn: day, place: '村党群服务中心', summary: '听取工作队汇报，走访党员群众，研究整顿难点（演示数据）', problemsFound: [] }),
    });
  }
  return steps;
}

/** The id of the step's submission waiting for the county (the step just taken). */
function waitingInspection(s: CaseState, step: InspectionStep): string {
  const waiting = (s.inspections ?? []).filter((i) => i.step === step && i.status === 'pending').at(-1);
  if (!waiting) throw new Error(`demo: no ${step} waiting for the county's sign-off`);
  return waiting.id;
}

const INSPECTION_OPINIONS: Record<InspectionStep, string> = {
  problem_list: '问题查找准确，病灶分析到位，同意（演示数据）',
  plan: '措施针对问题，责任和时限明确，同意（演示数据）',
  acceptance_request: '整顿任务完成，材料齐全，同意组织验收（演示数据）',
};

/** The county's inspector passes the step on `day`, if the case's practice has it inspected. */
function passStep(state: CaseState, day: LocalDate, step: InspectionStep, inspector: Actor | undefined, admin: Actor): Step[] {
  if (!state.practice?.inspectionSteps.includes(step)) return [];
  return [{ day, name: 'passInspection', input: (s) => ({ actor: inspector ?? admin, inspectionId: waitingInspection(s, step), opinion: INSPECTION_OPINIONS[step] }) }];
}

/** The acceptance team fills the case's form on `day` (a point off here and there) and counts the survey, if the case has a form. */
function scoreStep(state: CaseState, day: LocalDate, admin: Actor): Step[] {
  const form = state.practice?.acceptanceForm;
  if (!form) return [];
  const items = form.areas.flatMap((a) => a.items.map((i, n) => ({ code: i.code, score: n === 1 ? i.max - 1 : i.max })));
  return [{ day, name: 'scoreAcceptance', input: () => ({ actor: admin, items, survey: { asked: 60, satisfied: 55, dissatisfied: 2 }, note: '验收组实地查看、查阅台账，入户开展群众满意度测评（演示数据）' }) }];
}

/**
 * The playbook up to a state that meets every condition of acceptance, from `start` (days after the
 * designation): contact leader, team, problem list, consultations, plan, measures done, problems
 * closed, secretary (C1/C2), a collective project, a practical thing.
 */
function playbook(state: CaseState, d: (n: number) => LocalDate, reasons: DesignationReason[], cast: DemoCast, opts: { measureDue: LocalDate[]; doneMeasures: number; percent?: number; acceptable: boolean }): Step[] {
  const { countyAdmin: admin, townshipSecretary: sec, contactLeader: leader, inspector } = cast;
  const problemReasons = reasons.filter((r) => r in PROBLEMS).slice(0, 2);
  const steps: Step[] = [
    { day: d(5), name: 'assignContactLeader', input: () => ({ actor: admin, leader: { id: leader.id, name: leader.name, title: leader.title, isCountyPartySecretary: false } }) },
    { day: d(10), name: 'appointTeam', input: () => ({ actor: sec, arrivedOn: d(10), members: TEAM }) },
    ...problemReasons.map((r): Step => ({ day: d(14), name: 'addProblem', input: () => ({ actor: sec, reasonCode: r, ...PROBLEMS[r] }) })),
    { day: d(16), name: 'confirmProblemList', input: () => ({ actor: sec }) },
    ...passStep(state, d(17), 'problem_list', inspector, admin),
    ...(['party_members_meeting', 'villager_representatives_meeting', 'household_visits', 'heart_to_heart_talks'] as const).map(
      (kind): Step => ({ day: d(18), name: 'recordConsultation', input: () => ({ actor: sec, kind, heldOn: d(18), participants: 15, summary: '征求党员群众对整顿的意见建议（演示数据）' }) }),
    ),
    ...opts.measureDue.map(
      (dueOn, i): Step => ({
        day: d(20),
        name: 'addMeasure',
        input: (s) => ({ actor: sec, description: `针对“${s.problems[i % s.problems.length].description.replace('（演示数据）', '')}”制定整改措施（演示数据）`, problemIds: [s.problems[i % s.problems.length].id], owner: TEAM[0].name, dueOn }),
      }),
    ),
    { day: d(21), name: 'approvePlan', input: () => ({ actor: sec }) },
    ...passStep(state, d(23), 'plan', inspector, admin),
    {
      day: d(28),
      name: 'addCollectiveProject',
      // The sixth track is the kind's (playbooks by kind): a village's collective-economy project, another kind's own project.
      input: () =>
        state.practice && state.practice.domain !== 'village'
          ? { actor: sec, name: `${state.practice.playbook.sixthTrack}（演示数据）`, kind: '党建引领', supportFunds: 50000, startOn: d(28), expectedYearlyIncome: 0 }
          : { actor: sec, name: '村集体光伏电站（演示数据）', kind: '光伏发电', supportFunds: 300000, startOn: d(28), expectedYearlyIncome: 40000 },
    },
    {
      day: d(35),
      name: 'recordPracticalThing',
      input: () => ({ actor: leader, title: '硬化村组道路（演示数据）', description: '协调资金硬化通组道路1.2公里', doneOn: d(35), evidence: '竣工验收单、村民代表签字确认书和现场照片' }),
    },
  ];
  const vacant = reasons.includes('C1') || reasons.includes('C2');
  const secretaryName = vacant ? APPOINTED_SECRETARY : cast.branchSecretary;
  if (vacant) steps.push({ day: d(30), name: 'appointSecretary', input: () => ({ actor: sec, name: APPOINTED_SECRETARY, source: 'from_village', appointedOn: d(30) }) });
  steps.push({
    day: d(38),
    name: 'recordTraining',
    input: () => ({ actor: sec, secretaryName, session: '全县村（社区）党组织书记专题培训班（演示数据）', attendedOn: d(38), evidence: '县委组织部培训班签到表和结业证书' }),
  });
  opts.measureDue.forEach((_due, i) => {
    if (i < opts.doneMeasures) steps.push({ day: d(45), name: 'updateMeasureProgress', input: (s) => ({ actor: sec, measureId: s.measures[i].id, percent: 100, note: '已完成（演示数据）' }) });
    else if (opts.percent) steps.push({ day: d(45), name: 'updateMeasureProgress', input: (s) => ({ actor: sec, measureId: s.measures[i].id, percent: opts.percent, note: '推进中，进度滞后（演示数据）' }) });
  });
  if (opts.acceptable) {
    for (let i = 0; i < problemReasons.length; i++)
      steps.push({ day: d(47), name: 'closeProblem', input: (s) => ({ actor: sec, problemId: s.problems[i].id, fixEvidence: '整改台账、会议记录和照片齐全（演示数据）' }) });
  }
  return steps;
}

/**
 * A case of the last weeks' work: its team found the problems and the township confirmed the list — and,
 * for `plan`, the county passed the list and the township approved the plan — the step submitted on
 * `submittedOn` and waiting for the county's sign-off since (督导把关).
 */
function submittedForInspection(state: CaseState, d: (n: number) => LocalDate, reasons: DesignationReason[], cast: DemoCast, step: 'problem_list' | 'plan', submittedOn: LocalDate): Step[] {
  const { countyAdmin: admin, townshipSecretary: sec, contactLeader: leader, inspector } = cast;
  const before = (n: number) => addDays(submittedOn, -n);
  const listOn = step === 'problem_list' ? submittedOn : before(12);
  const steps: Step[] = [
    { day: d(5), name: 'assignContactLeader', input: () => ({ actor: admin, leader: { id: leader.id, name: leader.name, title: leader.title, isCountyPartySecretary: false } }) },
    { day: d(10), name: 'appointTeam', input: () => ({ actor: sec, arrivedOn: d(10), members: TEAM }) },
    ...reasons.filter((r) => r in PROBLEMS).slice(0, 2).map((r): Step => ({ day: addDays(listOn, -2), name: 'addProblem', input: () => ({ actor: sec, reasonCode: r, ...PROBLEMS[r] }) })),
    { day: listOn, name: 'confirmProblemList', input: () => ({ actor: sec }) },
  ];
  if (step === 'plan') {
    steps.push(
      ...passStep(state, before(9), 'problem_list', inspector, admin),
      ...(['party_members_meeting', 'villager_representatives_meeting', 'household_visits', 'heart_to_heart_talks'] as const).map(
        (kind): Step => ({ day: before(6), name: 'recordConsultation', input: () => ({ actor: sec, kind, heldOn: before(6), participants: 15, summary: '征求党员群众对整顿的意见建议（演示数据）' }) }),
      ),
      {
        day: before(2),
        name: 'addMeasure',
        input: (s) => ({ actor: sec, description: `针对“${s.problems[0].description.replace('（演示数据）', '')}”制定整改措施（演示数据）`, problemIds: s.problems.map((p) => p.id), owner: TEAM[0].name, dueOn: addDays(submittedOn, 45) }),
      },
      { day: submittedOn, name: 'approvePlan', input: () => ({ actor: sec }) },
    );
  }
  return steps;
}

/**
 * Runs one demo case's history on the past clock: the designation, then every step on its day in
 * order, with the clock's own events (a new quarter, a missed deadline, 回头看 opening) at each moment
 * the workflow would have woken, up to `nowMs`. A step the rules refuse throws: the demo never holds
 * what the rules would not produce.
 */
export function runDemoHistory(designation: Designation, course: DemoCourse, cast: DemoCast, nowMs = Date.now()): DemoCaseHistory {
  const designatedOn = shanghaiDateOf(Date.parse(designation.designatedAt));
  const today = shanghaiDateOf(nowMs);
  const d = (n: number) => addDays(designatedOn, n);
  const ago = (n: number) => addDays(today, -n);
  const { countyAdmin: admin, townshipSecretary: sec, contactLeader: leader, inspector } = cast;
  const reasons = designation.reasons;
  const state = newCaseState(designation);

  let steps: Step[];
  switch (course.kind) {
    case 'converted':
    case 'follow_up_review':
    case 'relapsed': {
      const accepted = ago(course.acceptedDaysAgo);
      steps = [
        ...playbook(state, d, reasons, cast, { measureDue: [d(40), d(44)], doneMeasures: 2, acceptable: true }),
        ...quarterlyVisits(d(5), addDays(accepted, -1), leader),
        { day: addDays(accepted, -3), name: 'requestAcceptance', input: () => ({ actor: sec, summary: '各项整顿任务已完成，申请验收（演示数据）' }) },
        ...passStep(state, addDays(accepted, -2), 'acceptance_request', inspector, admin),
        ...scoreStep(state, addDays(accepted, -1), admin),
        { day: accepted, name: 'acceptCase', input: () => ({ actor: admin, opinion: '经县委组织部验收，达到转化标准，予以销号（演示数据）' }) },
      ];
      if (course.kind === 'relapsed')
        steps.push({ day: ago(course.reviewedDaysAgo), name: 'recordFollowUp', input: () => ({ actor: admin, relapsed: true, findings: course.findings }) });
      break;
    }
    case 'removed':
      steps = [
        { day: d(5), name: 'assignContactLeader', input: () => ({ actor: admin, leader: { id: leader.id, name: leader.name, title: leader.title, isCountyPartySecretary: false } }) },
        ...quarterlyVisits(d(5), ago(course.removedDaysAgo + 1), leader),
        { day: ago(course.removedDaysAgo), name: 'removeFromList', input: () => ({ actor: admin, reason: course.reason }) },
      ];
      break;
    case 'overdue': {
      const lastQuarterEnd = addDays(quarterStart(quarterOf(today)), -1);
      steps = [
        ...playbook(state, d, reasons, cast, { measureDue: [d(60), ago(course.overdueDays)], doneMeasures: 1, percent: course.percent, acceptable: false }),
        ...quarterlyVisits(d(5), course.visitThisQuarter ? addDays(today, -1) : lastQuarterEnd, leader),
      ];
      break;
    }
    case 'inspection_waiting':
      steps = [...submittedForInspection(state, d, reasons, cast, course.step, ago(course.submittedDaysAgo)), ...quarterlyVisits(d(5), addDays(today, -1), leader)];
      break;
    case 'designated':
      steps = course.withLeader
        ? [{ day: d(5), name: 'assignContactLeader', input: () => ({ actor: admin, leader: { id: leader.id, name: leader.name, title: leader.title, isCountyPartySecretary: false } }) }]
        : [];
      break;
  }

  // A case started today runs under the later rules (issue 16) from its first change: so does the demo's past.
  state.rulesVersion = UNBENT_RULES_VERSION;
  const events: CaseAuditEvent[] = [designationEvent(state)];
  let at = Date.parse(designation.designatedAt);
  // The workflow's loop: it wakes at nextWakeUp and applies the clock there, before any later update.
  const clockTo = (ms: number) => {
    for (let guard = 0; guard < 100; guard++) {
      const wake = nextWakeUp(state, at);
      if (wake === undefined || wake > ms) break;
      at = Math.max(at, wake);
      events.push(...applyClock(state, at));
    }
    at = Math.max(at, ms);
  };
  const ordered = steps.map((s, i) => ({ s, i })).sort((a, b) => compareDates(a.s.day, b.s.day) || a.i - b.i);
  for (const [n, { s }] of ordered.entries()) {
    // Each record entered on its day, during office hours, in order.
    const ms = startOfShanghaiDay(s.day) + 9 * 3600_000 + n * 60_000;
    if (ms > nowMs) throw new Error(`demo step ${s.name} on ${s.day} lies in the future`);
    clockTo(ms);
    const input = s.input(state) as CaseCommandInputs[typeof s.name];
    validateCommand(state, s.name, input, ms, { limits: true });
    events.push(...applyCommand(state, s.name, input, ms));
  }
  clockTo(nowMs);
  return { state, events };
}
