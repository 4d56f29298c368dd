import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../../../libs/domain';

export interface ApiAuditEntry {
  /** Unique; a natural key where one exists (so a retried write records once), else a fresh uuid. */
  key?: string;
  caseId?: string | null;
  actor: Actor;
  action: string;
  payload: Record<string, unknown>;
}

/**
 * Records a write the API makes itself (not through a case workflow) in the audit trail, inside the
 * caller's transaction so the entry and the change land together or not at all.
 */
export async function recordAudit(manager: EntityManager, entry: ApiAuditEntry): Promise<void> {
  await manager.query(
    `INSERT INTO audit_entry (idempotency_key, case_id, actor, actor_id, actor_role, action, occurred_at, payload)
     VALUES ($1, $2, $3, $4, $5, $6, now(), $7::jsonb)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [entry.key ?? `api:${randomUUID()}`, entry.caseId ?? null, entry.actor.name, entry.actor.id, entry.actor.role, entry.action, JSON.stringify(entry.payload)],
  );
}
