import { DEFAULT_POLICY, type Actor, type CaseAuditEvent, type CaseState, type CaseTask } from '../../libs/domain';

export const TEST_ACTOR: Actor = { id: 'user-tester', name: '测试员', role: 'county_org_admin' };

/** The ids a minimal CaseState needs (e.g. from createRegionWithOrganizations). */
export interface CaseStateOrg {
  id: string;
  name: string;
  townshipId: string;
  countyId: string;
}

/** A minimal valid CaseState of a freshly designated case; override any field. */
export function buildCaseState(org: CaseStateOrg, overrides: Partial<CaseState> = {}): CaseState {
  const batchYear = overrides.batchYear ?? 2026;
  const designatedAt = overrides.designatedAt ?? new Date().toISOString();
  return {
    caseId: `case-${batchYear}-${org.id}`,
    organizationId: org.id,
    organizationName: org.name,
    townshipId: org.townshipId,
    countyId: org.countyId,
    batchYear,
    reasons: ['C1'],
    designatedAt,
    designatedBy: TEST_ACTOR,
    policy: { ...DEFAULT_POLICY },
    stage: 'designated',
    stageHistory: [{ from: null, to: 'designated', actor: TEST_ACTOR, at: designatedAt, reason: '认定' }],
    version: 1,
    nextId: 1,
    nextEventSeq: 1,
    firstResponsible: { role: 'township_party_secretary', regionId: org.townshipId },
    previousContactLeaders: [],
    visits: [],
    practicalThings: [],
    teamChanges: [],
    problems: [],
    consultations: [],
    measures: [],
    secretary: { required: true, overdue: false, trainings: [] },
    projects: [],
    acceptanceRefusals: [],
    yearEndDeadline: `${batchYear}-12-31`,
    yearEndOverdue: false,
    relapses: [],
    ...overrides,
  };
}

/** An audit event of the case. */
export function buildEvent(state: CaseState, seq: number, action = 'case.designated', actor: Actor = TEST_ACTOR): CaseAuditEvent {
  return {
    key: `${state.caseId}:e${seq}`,
    caseId: state.caseId,
    actor,
    action,
    occurredAt: new Date().toISOString(),
    payload: { seq },
  };
}

/** A task of the case, assigned to the township party secretary unless overridden. */
export function buildTask(state: CaseState, subject: string, overrides: Partial<CaseTask> = {}): CaseTask {
  return {
    key: `${state.caseId}:${subject}`,
    caseId: state.caseId,
    kind: 'close_problem',
    title: `销号问题 ${subject}`,
    assigneeRole: 'township_party_secretary',
    regionId: state.townshipId,
    subjectId: subject,
    ...overrides,
  };
}
