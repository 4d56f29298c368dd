import { INSPECTION_STEP_LABELS, type InspectionStep } from '../practice';
import type { AcceptanceCondition } from './acceptance';
import type { Deadline, Recipient } from '../notices/types';
import type { CaseState, CaseTask, InspectionRecord, TaskKind } from './types';

/**
 * The playbook by kind (issue 18 item 1, seed 001 §一(三)): on a case that captured a practice, the
 * acceptance conditions are the playbook's, the sixth track is the kind's project, and a step the
 * county inspects counts only once the county has passed it (item 2).
 */

/** The sixth track's name and required count: the playbook's, or the village project of older cases. */
export function sixthTrackOf(state: CaseState): { name: string; min: number } {
  const pb = state.practice?.playbook;
  return pb ? { name: pb.sixthTrack, min: pb.minProjects } : { name: '村集体经济项目', min: state.policy.minCollectiveProjects };
}

/** The newest submission of a step to the county, if the case's practice inspects it. */
export function latestInspection(state: CaseState, step: InspectionStep): InspectionRecord | undefined {
  if (!state.practice?.inspectionSteps.includes(step)) return undefined;
  return [...(state.inspections ?? [])].reverse().find((i) => i.step === step);
}

/** True when the step needs no sign-off, or the county passed its newest submission. */
export function inspectionPassed(state: CaseState, step: InspectionStep): boolean {
  if (!state.practice?.inspectionSteps.includes(step)) return true;
  return latestInspection(state, step)?.status === 'passed';
}

/** 一 to 十 as the conditions' prose writes them (至少发展一个…); larger counts in digits. */
function countInWords(n: number): string {
  return n >= 1 && n <= 10 ? '一二三四五六七八九十'[n - 1] : String(n);
}

/** The case's acceptance conditions under its playbook (unchanged for cases without one). */
export function withPlaybook(state: CaseState, conditions: AcceptanceCondition[]): AcceptanceCondition[] {
  const practice = state.practice;
  if (!practice) return conditions;
  const wanted = new Set<string>(practice.playbook.conditions);
  const track = sixthTrackOf(state);
  const out: AcceptanceCondition[] = [];
  for (const c of conditions) {
    if (c.code === 'COLLECTIVE_PROJECT') {
      if (wanted.has('COLLECTIVE_PROJECT')) out.push(projectCondition(state, 'COLLECTIVE_PROJECT', `至少发展${countInWords(track.min)}个${track.name}`, 'the village has its collective-economy project'));
      if (wanted.has('PLAYBOOK_PROJECT')) out.push(projectCondition(state, 'PLAYBOOK_PROJECT', `至少开展${countInWords(track.min)}个${track.name}`, 'the kind\'s project of the playbook exists'));
      continue;
    }
    if (!wanted.has(c.code)) continue;
    const step: InspectionStep | undefined = c.code === 'PROBLEM_LIST_CONFIRMED' ? 'problem_list' : c.code === 'PLAN_APPROVED' ? 'plan' : undefined;
    if (c.met && step && !inspectionPassed(state, step)) {
      out.push({ ...c, met: false, missing: `${INSPECTION_STEP_LABELS[step]}待县委组织部督导把关` });
    } else out.push(c);
  }
  return out;
}

function projectCondition(state: CaseState, code: 'COLLECTIVE_PROJECT' | 'PLAYBOOK_PROJECT', zh: string, en: string): AcceptanceCondition {
  const track = sixthTrackOf(state);
  const met = state.projects.length >= track.min;
  return { code, met, zh, en, ...(met ? {} : { missing: `${track.name} ${state.projects.length} 个，少于 ${track.min} 个` }) };
}

type AddTask = (kind: TaskKind, title: string, assigneeRole: CaseTask['assigneeRole'], level: 'township' | 'county' | 'village', extra?: Partial<CaseTask>) => void;

/** The county's tasks of the practice: steps waiting for its sign-off, and the acceptance form to fill. */
export function practiceTasks(state: CaseState, add: AddTask): void {
  if (!state.practice) return;
  const org = state.organizationName;
  for (const i of state.inspections ?? []) {
    if (i.status !== 'pending') continue;
    add('inspect_step', `督导把关：${org}${INSPECTION_STEP_LABELS[i.step]}`, 'county_org_admin', 'county', { subjectId: i.id, dueOn: i.dueOn });
  }
  if (state.practice.acceptanceForm && state.stage === 'awaiting_acceptance' && inspectionPassed(state, 'acceptance_request') && !currentScoring(state)) {
    add('score_acceptance', `${org}验收评分和群众满意度测评`, 'county_org_admin', 'county', { dueOn: state.yearEndDeadline });
  }
}

/** The scoring of the acceptance request now standing, if the team has filled the form for it. */
export function currentScoring(state: CaseState) {
  const at = state.acceptanceRequestedAt;
  if (!at) return undefined;
  return [...(state.acceptanceScorings ?? [])].reverse().find((s) => s.forRequestAt === at);
}

/**
 * The ladder on the county's waiting (issue 18 item 2): a step waiting past its due date is 督办 to the
 * county organization department, then 通报 and 约谈 like any deadline; a decision closes it.
 */
export function inspectionDeadlines(state: CaseState): Deadline[] {
  if (!state.practice) return [];
  const county: Recipient = { role: 'county_org_admin', regionId: state.countyId };
  return (state.inspections ?? [])
    .filter((i) => i.status === 'pending')
    .map((i) => ({
      key: `inspection:${i.id}`,
      kind: 'inspection' as const,
      subjectId: i.id,
      title: `督导把关：${state.organizationName}${INSPECTION_STEP_LABELS[i.step]}`,
      dueOn: i.dueOn,
      responsible: [county],
      rungs: ['supervision', 'public_notice', 'interview'],
      escalationRecipients: { supervision: [county], public_notice: [county] },
    }));
}

/** The case's scored acceptance in one line, for the ledger and the exports ('' when it has none). */
export function scoringLine(state: CaseState): string {
  const s = state.acceptanceScorings?.at(-1);
  if (!s) return '';
  const verdict = s.vetoed ? '满意度一票否决' : s.passed ? '合格' : '不合格';
  return `${s.total}/${s.max}分（合格分${s.passMark}），测评${s.survey.asked}人、满意${s.survey.satisfied}人、不满意${s.survey.dissatisfied}人，${verdict}`;
}

/** Each step submitted for the county's sign-off and where it stands, one a line. */
export function inspectionLines(state: CaseState): string[] {
  return (state.inspections ?? []).map((i) => {
    const status = i.status === 'pending' ? `待督导把关（${i.dueOn}前）` : i.status === 'passed' ? '已通过' : '已退回';
    return `${INSPECTION_STEP_LABELS[i.step]}：${status}${i.opinion ? `（${i.opinion}）` : ''}`;
  });
}
