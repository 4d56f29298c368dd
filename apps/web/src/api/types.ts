/**
 * The shapes the dashboard reads from the API. Case state and roles come from libs/domain (the same
 * types the API and the workflow use); the dashboard payload follows docs/dashboard-api.md.
 */
import type { CaseStage } from '../../../../libs/domain/case-stage';
import type { CaseState } from '../../../../libs/domain/case/types';
import type { RegionLevel } from '../../../../libs/domain/organization';
import type { UserRole } from '../../../../libs/domain/roles';

export type { CaseStage, CaseState, UserRole };

export interface SessionUser {
  id: string;
  username: string;
  name: string;
  title: string;
  role: UserRole;
  regionId: string;
  regionLevel: RegionLevel;
  countyId: string;
  townshipId: string | null;
  villageId: string | null;
}

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: string;
  user: SessionUser;
}

export type TrackKey = 'leader' | 'team' | 'problems' | 'plan' | 'secretary' | 'project';
export type TrackStatus = 'done' | 'due_soon' | 'overdue' | 'open';

export interface MatrixRow {
  caseId: string;
  organizationName: string;
  stage: CaseStage;
  tracks: Record<TrackKey, TrackStatus>;
}

export interface TownshipRow {
  townshipId: string;
  name: string;
  cases: number;
  converted: number;
  openEscalations: number;
  overdueTasks: number;
  matrix: MatrixRow[];
}

export interface QuarterCompliance {
  quarter: string;
  required: number;
  visited: number;
  status: TrackStatus;
}

export interface LeaderCompliance {
  leaderId: string;
  leaderName: string;
  cases: number;
  quarters: QuarterCompliance[];
}

/** A case taken off the list (移出整顿名单), with who, when and the written reason. */
export interface RemovedCase {
  caseId: string;
  organizationName: string;
  townshipId: string;
  townshipName: string;
  batchYear: number;
  reason: string;
  removedBy: { id: string; name: string; role: UserRole | 'system' } | null;
  removedAt: string | null;
  fromStage: CaseStage | null;
}

export interface Overview {
  batchYear: number;
  scope: { level: RegionLevel; regionId: string; name: string };
  total: number;
  stages: Record<CaseStage, number>;
  converted: number;
  forecast: { yearEnd: string; converted: number; onTrack: number; atRisk: number; overdue: number; expectedByYearEnd: number };
  overdue: { tasks: number; secretary: number; yearEnd: number; measures: number };
  openEscalations: { supervision: number; public_notice: number; interview: number };
  townships: TownshipRow[];
  visitCompliance: LeaderCompliance[];
  /** Cases taken off the list: not in total, forecast or the matrix. */
  removed: { count: number; items: RemovedCase[] };
}

export interface CaseView {
  id: string;
  record: ({ stage: CaseStage; version: number; state: CaseState } & Record<string, unknown>) | null;
  live: CaseState | null;
  liveError?: string;
}

export interface CaseActionResult {
  id: string;
  state: CaseState;
}

export interface TaskItem {
  key: string;
  caseId: string;
  organizationName: string;
  kind: string;
  title: string;
  assigneeRole: UserRole | 'system';
  assigneeId: string | null;
  subjectId: string | null;
  region: { id: string; name: string | null; level: RegionLevel | null };
  dueOn: string | null;
  status: 'open' | 'done';
  dueState: 'overdue' | 'due_soon' | null;
  openedAt: string;
  closedAt: string | null;
  claim: { userId: string; name: string | null; claimedAt: string | null; assignedById: string | null } | null;
}

export interface TaskPage {
  items: TaskItem[];
  nextCursor: string | null;
  totals: { open: number; dueSoon: number; overdue: number; done: number };
}

export interface AuditItem {
  id: string;
  occurredAt: string;
  action: string;
  payload: Record<string, unknown>;
  caseId: string | null;
  organizationName: string | null;
  actor: { id: string | null; name: string; role: string | null };
}

export interface AuditPage {
  items: AuditItem[];
  nextCursor: string | null;
}

export interface EscalationItem {
  id: string;
  caseId: string;
  organizationName: string;
  kind: string;
  kindLabel: string;
  rung: 'supervision' | 'public_notice' | 'interview';
  rungLabel: string;
  title: string;
  reason: string;
  deadline: string;
  daysOverdue: number;
  raisedAt: string;
  status: 'open' | 'acknowledged' | 'resolved';
  acknowledgement: { userId: string | null; name: string | null; at: string | null; note: string | null } | null;
  resolvedAt: string | null;
}

export interface EscalationPage {
  items: EscalationItem[];
  nextCursor: string | null;
  totals: { open: number; acknowledged: number; resolved: number };
}

/** The API's one error shape. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  messageEn?: string;
  details?: unknown;
}
