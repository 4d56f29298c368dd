import type { Actor } from '../roles';
import type { LocalDate } from '../shanghai-time';

/** What the workflow says someone must do next. */
export interface CaseTask {
  /** Stable per case and subject, e.g. "case-…:close_problem:p7". */
  key: string;
  caseId: string;
  kind: TaskKind;
  title: string;
  assigneeRole: Actor['role'];
  /** The region whose holder of the role must act (county, township, or the organization's village for the team). */
  regionId: string;
  /** A specific person, when the workflow knows them (the contact leader). */
  assigneeId?: string;
  dueOn?: LocalDate;
  /** The record the task is about (problem, measure…), if any. */
  subjectId?: string;
}

export const TASK_KINDS = [
  'assign_contact_leader',
  'appoint_team',
  'guidance_visit',
  'practical_thing',
  'record_problems',
  'confirm_problem_list',
  'close_problem',
  'record_consultations',
  'draft_plan',
  'approve_plan',
  'complete_measure',
  'appoint_secretary',
  'adjust_secretary',
  'start_collective_project',
  'request_acceptance',
  'accept_case',
  'decide_extension',
  'follow_up_review',
  'confirm_visit',
  'decide_organizational_handling',
  'grow_local_successor',
  'secretary_training',
  'inspect_step',
  'score_acceptance',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
