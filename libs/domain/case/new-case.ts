import type { CaseAuditEvent, CaseState, Designation } from './types';

/** The state of a newly designated case. */
export function newCaseState(d: Designation): CaseState {
  const required = d.reasons.some((r) => d.policy.secretaryRequiredForReasons.includes(r)) || d.secretaryAdjustment !== undefined;
  return {
    caseId: d.caseId,
    organizationId: d.organization.id,
    organizationName: d.organization.name,
    ...(d.organization.regionId ? { organizationRegionId: d.organization.regionId } : {}),
    townshipId: d.organization.townshipId,
    countyId: d.organization.countyId,
    batchYear: d.batchYear,
    reasons: [...d.reasons],
    ...(d.note ? { note: d.note } : {}),
    designatedAt: d.designatedAt,
    designatedBy: d.designatedBy,
    policy: d.policy,
    stage: 'designated',
    stageHistory: [{ from: null, to: 'designated', actor: d.designatedBy, at: d.designatedAt, reason: d.note || '认定为软弱涣散党组织' }],
    version: 1,
    nextId: 1,
    firstResponsible: { role: 'township_party_secretary', regionId: d.organization.townshipId },
    nextEventSeq: 2,
    previousContactLeaders: [],
    visits: [],
    practicalThings: [],
    teamChanges: [],
    problems: [],
    consultations: [],
    measures: [],
    secretary: { required, overdue: false, trainings: [], ...(d.secretaryAdjustment ? { adjustment: { oneStarYears: [...d.secretaryAdjustment.oneStarYears] } } : {}) },
    projects: [],
    acceptanceRefusals: [],
    yearEndDeadline: `${d.batchYear}-12-31`,
    yearEndOverdue: false,
    relapses: [],
    ...(d.practice ? { practice: d.practice, inspections: [], acceptanceScorings: [] } : {}),
  };
}

/** The audit event of the designation itself (event 1). */
export function designationEvent(state: CaseState): CaseAuditEvent {
  return {
    key: `${state.caseId}:e1`,
    caseId: state.caseId,
    actor: state.designatedBy,
    action: 'case.designated',
    occurredAt: state.designatedAt,
    payload: { organizationId: state.organizationId, batchYear: state.batchYear, reasons: state.reasons, note: state.note ?? null, policyVersion: state.policy.version },
  };
}
