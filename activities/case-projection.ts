import type { DataSource } from 'typeorm';
import type { CaseAuditEvent, CaseState } from '../libs/domain/case-state';

export interface ProjectionDeps {
  dataSource: DataSource;
}

/**
 * Projects the workflow's case state and its audit events into PostgreSQL, in one transaction.
 * Idempotent: the case row is only replaced by a higher version, and audit events are keyed, so a
 * retried activity writes nothing twice.
 */
export function createCaseProjectionActivities({ dataSource }: ProjectionDeps) {
  return {
    async projectCase(state: CaseState, events: CaseAuditEvent[]): Promise<void> {
      await dataSource.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO rectification_case
             (id, organization_id, organization_name, county_id, township_id, batch_year, reasons, stage,
              designated_at, designated_by, version, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
           ON CONFLICT (id) DO UPDATE SET
             organization_name = EXCLUDED.organization_name,
             reasons = EXCLUDED.reasons,
             stage = EXCLUDED.stage,
             version = EXCLUDED.version,
             updated_at = now()
           WHERE rectification_case.version < EXCLUDED.version`,
          [
            state.caseId,
            state.organizationId,
            state.organizationName,
            state.countyId,
            state.townshipId,
            state.batchYear,
            state.reasons,
            state.stage,
            state.designatedAt,
            state.designatedBy,
            state.version,
          ],
        );
        for (const e of events) {
          await tx.query(
            `INSERT INTO audit_entry (idempotency_key, case_id, actor, action, occurred_at, payload)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (idempotency_key) DO NOTHING`,
            [e.key, e.caseId, e.actor, e.action, e.occurredAt, JSON.stringify(e.payload)],
          );
        }
      });
    },
  };
}
