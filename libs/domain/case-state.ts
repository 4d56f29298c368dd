import type { CaseStage } from './case-stage';
import type { DesignationReason } from './designation';

/** What the API hands the case workflow when an organization is designated. */
export interface RectifyCaseInput {
  caseId: string;
  organization: {
    id: string;
    name: string;
    townshipId: string;
    countyId: string;
  };
  batchYear: number;
  reasons: DesignationReason[];
  /** Written justification of the designation (evidence, 认定依据). */
  note?: string;
  designatedBy: string;
  /** ISO 8601 instant of the designation. */
  designatedAt: string;
}

/** One change of stage: who, when, why. */
export interface StageChange {
  from: CaseStage | null;
  to: CaseStage;
  actor: string;
  at: string;
  reason: string;
}

/** The whole live state of a case, returned by the workflow's query. */
export interface CaseState {
  caseId: string;
  organizationId: string;
  organizationName: string;
  townshipId: string;
  countyId: string;
  batchYear: number;
  reasons: DesignationReason[];
  note?: string;
  stage: CaseStage;
  designatedAt: string;
  designatedBy: string;
  /** Grows by one with every change; the read model keeps only the newest. */
  version: number;
  stageHistory: StageChange[];
}

/** A change of a case, written once to the audit trail. */
export interface CaseAuditEvent {
  /** Unique per case change, so a retried projection writes it once. */
  key: string;
  caseId: string;
  actor: string;
  action: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}
