import { CONSULTATION_KIND_LABELS } from '../policy';
import { addDays, quarterKey, quarterOf, shanghaiDateOf } from '../shanghai-time';
import { currentQuarterLastDay, unmetAcceptanceConditions, visitsByQuarter } from './acceptance';
import { practiceTasks, sixthTrackOf } from './playbook';
import { extensionTasks } from './tracks/extension-tasks';
import { unbent } from './rules/edition';
import { undecided } from './rules/org-handling';
import type { CaseState, CaseTask, TaskKind } from './types';

/**
 * What each person must do next on a case: the workflow states it, an activity projects it into
 * PostgreSQL. Derived from the state alone, so the set is the same however often it is computed.
 */
export function deriveTasks(state: CaseState, nowMs: number): CaseTask[] {
  const tasks: CaseTask[] = [];
  const org = state.organizationName;
  // 第一责任人: the township's tasks go to the township Party secretary of the case's township.
  const regionFor = { county: state.countyId, township: state.firstResponsible.regionId, village: state.organizationRegionId ?? state.townshipId };
  const add = (kind: TaskKind, title: string, assigneeRole: CaseTask['assigneeRole'], level: 'township' | 'county' | 'village', extra: Partial<CaseTask> = {}) => {
    const subject = extra.subjectId ? `:${extra.subjectId}` : '';
    tasks.push({
      key: `${state.caseId}:${kind}${subject}`,
      caseId: state.caseId,
      kind,
      title,
      assigneeRole,
      regionId: regionFor[level],
      ...extra,
    });
  };

  const stage = state.stage;
  const active = stage === 'designated' || stage === 'rectifying' || stage === 'awaiting_acceptance';

  if (active && !state.contactLeader) add('assign_contact_leader', `为${org}确定县级联系领导`, 'county_org_admin', 'county');
  if ((stage === 'designated' || stage === 'rectifying') && (!state.team || state.team.releasedAt))
    add('appoint_team', `为${org}选派不少于${state.policy.teamMinSize}人的整建队伍（科级干部任队长）`, 'township_party_secretary', 'township');

  if (active && state.contactLeader) {
    const quarter = quarterKey(quarterOf(shanghaiDateOf(nowMs)));
    const done = visitsByQuarter(state)[quarter] ?? 0;
    if (done < state.policy.visitsPerQuarter) {
      add('guidance_visit', `${quarter} 到${org}调研指导（每季度不少于${state.policy.visitsPerQuarter}次）`, state.contactLeader.isCountyPartySecretary ? 'county_party_secretary' : 'county_leader', 'county', {
        assigneeId: state.contactLeader.id,
        dueOn: currentQuarterLastDay(nowMs),
        subjectId: quarter,
      });
    }
    if (state.practicalThings.length < state.policy.practicalThingsExpected) {
      add('practical_thing', `为${org}办理群众认可的实事好事（${state.policy.practicalThingsExpected}件以上）`, state.contactLeader.isCountyPartySecretary ? 'county_party_secretary' : 'county_leader', 'county', {
        assigneeId: state.contactLeader.id,
        dueOn: state.yearEndDeadline,
      });
    }
  }

  // 连续两年一星级: the secretary's adjustment is the county organization department's, from designation on.
  const adjustment = state.secretary.adjustment;
  if (active && adjustment && !state.secretary.appointment) {
    add('adjust_secretary', `${org}连续两年评定为一星级（${adjustment.oneStarYears.join('、')}年），对党支部书记进行组织调整`, 'county_org_admin', 'county', {
      ...(state.secretary.deadline ? { dueOn: state.secretary.deadline } : {}),
    });
  }

  if (stage === 'rectifying') {
    if (state.problems.length === 0) add('record_problems', `逐一"过筛子"，建立${org}问题清单`, 'team_leader', 'village');
    else if (!state.problemListConfirmedAt) add('confirm_problem_list', `确认${org}问题清单（${state.problems.length}个问题）`, 'township_party_secretary', 'township');

    if (state.problemListConfirmedAt) {
      for (const p of state.problems.filter((x) => x.status === 'open')) {
        const due = state.measures
          .filter((m) => m.problemIds.includes(p.id))
          .map((m) => m.dueOn)
          .sort()
          .pop();
        add('close_problem', `问题销号：${p.description.slice(0, 40)}`, 'team_leader', 'village', { subjectId: p.id, ...(due ? { dueOn: due } : {}) });
      }
    }

    if (!state.planApprovedAt) {
      const held = new Set(state.consultations.map((c) => c.kind));
      const missing = state.policy.requiredConsultations.filter((k) => !held.has(k));
      if (missing.length) add('record_consultations', `征求意见：${missing.map((k) => CONSULTATION_KIND_LABELS[k]).join('、')}`, 'team_leader', 'village');
      const uncovered = state.problems.some((p) => p.status === 'open' && !state.measures.some((m) => m.problemIds.includes(p.id)));
      if (state.problems.length > 0 && (state.measures.length === 0 || uncovered)) add('draft_plan', `对照问题清单制定${org}整顿方案（一村一策）`, 'team_leader', 'village');
      else if (missing.length === 0 && state.problemListConfirmedAt && state.measures.length > 0) add('approve_plan', `审定${org}整顿方案`, 'township_party_secretary', 'township');
    } else {
      for (const m of state.measures.filter((x) => x.status !== 'done')) {
        add('complete_measure', `落实整改措施：${m.description.slice(0, 40)}（责任人 ${m.owner}）`, 'team_leader', 'village', { subjectId: m.id, dueOn: m.dueOn });
      }
    }

    if (state.secretary.required && !state.secretary.appointment && !state.secretary.adjustment) {
      add('appoint_secretary', `为${org}选配合格的党支部书记（整建队伍进驻后${state.policy.secretaryDeadlineMonths}个月内）`, 'township_party_secretary', 'township', {
        ...(state.secretary.deadline ? { dueOn: state.secretary.deadline } : {}),
      });
    }
    const track = sixthTrackOf(state);
    if (state.projects.length < track.min) {
      add('start_collective_project', `帮助${org}发展至少${track.min}个${track.name}`, 'team_leader', 'village', { dueOn: state.yearEndDeadline });
    }
    if (unmetAcceptanceConditions(state, nowMs).length === 0) add('request_acceptance', `${org}已达验收条件，申请县委组织部验收`, 'township_party_secretary', 'township', { dueOn: state.yearEndDeadline });
  }

  if (unbent(state)) laterTasks(state, add);
  extensionTasks(state, add);
  practiceTasks(state, add);

  if (stage === 'awaiting_acceptance') add('accept_case', `验收${org}整顿工作`, 'county_org_admin', 'county', { dueOn: state.yearEndDeadline });
  if (stage === 'follow_up_review' && state.followUp) {
    add('follow_up_review', `对${org}开展回头看`, 'county_org_admin', 'county', { dueOn: addDays(state.followUp.dueOn, state.policy.followUpReviewDays) });
  }
  return tasks;
}

type AddTask = (kind: TaskKind, title: string, assigneeRole: CaseTask['assigneeRole'], level: 'township' | 'county' | 'village', extra?: Partial<CaseTask>) => void;

/** Issue 16's tasks: 代录 to confirm, 组织处理 to decide, a local successor to grow, the training. */
function laterTasks(state: CaseState, add: AddTask): void {
  const org = state.organizationName;
  const leader = state.contactLeader;
  if (leader) {
    for (const v of state.visits.filter((x) => x.proxy && !x.proxy.confirmedAt && x.leaderId === leader.id)) {
      add('confirm_visit', `确认${v.recordedBy.name}代录的调研指导（${v.visitedOn}，${org}）`, leader.isCountyPartySecretary ? 'county_party_secretary' : 'county_leader', 'county', { assigneeId: leader.id, subjectId: v.id });
    }
  }
  for (const d of undecided(state)) {
    add('decide_organizational_handling', `${org}：${d.title}逾期未办，已约谈，请研究决定组织处理`, 'county_org_admin', 'county', { subjectId: d.deadlineKey });
  }
  const a = state.secretary.appointment;
  if (a?.source === 'first_secretary' && state.stage !== 'closed' && state.stage !== 'removed') {
    add('grow_local_successor', `第一书记${a.name}任期至${a.termEndsOn ?? '（未定）'}，培养${org}本村书记接任人选`, 'township_party_secretary', 'township', a.termEndsOn ? { dueOn: a.termEndsOn } : {});
  }
  if (state.stage === 'rectifying' && state.secretary.trainings.length === 0) {
    add('secretary_training', `安排${org}党支部书记参加县级专题培训（每年1—2次）`, 'county_org_admin', 'county', { dueOn: state.yearEndDeadline });
  }
}
