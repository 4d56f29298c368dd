import type { DataSource } from 'typeorm';
import { COUNTY_SECRETARY_CASES_PER_BATCH } from '../libs/domain/policy-floors';
import { closeCountySecretaryTask, lockCountyBatch } from '../libs/read-model/county-secretary-task';

export interface CountySecretaryDeps {
  dataSource: DataSource;
}

export interface ReserveCountySecretaryCaseInput {
  countyId: string;
  batchYear: number;
  caseId: string;
  /** The county party secretary's id (the contact leader being assigned). */
  leaderId: string;
  /** policy.countyPartySecretaryMaxCases of the case's policy. */
  maxCases: number;
}

export interface ReserveCountySecretaryCaseResult {
  granted: boolean;
  /** Case ids holding a reservation for the county and batch after the call (this case included when granted). */
  heldBy: string[];
}

export interface ReleaseCountySecretaryCaseInput {
  countyId: string;
  batchYear: number;
  caseId: string;
}

/**
 * The cross-case rule "the county party secretary personally takes at most N cases per batch"
 * (seed 000 §四(一): 县委书记带头联系一个; N = policy.countyPartySecretaryMaxCases, default 1), and its
 * other half: a batch whose secretary takes none raises a task to the county organization department
 * (raiseCountySecretaryTask), closed here when the secretary takes one. Both activities are idempotent.
 */
export function createCountySecretaryActivities({ dataSource }: CountySecretaryDeps) {
  return {
    async reserveCountySecretaryCase(input: ReserveCountySecretaryCaseInput): Promise<ReserveCountySecretaryCaseResult> {
      const { countyId, batchYear, caseId, leaderId, maxCases } = input;
      return dataSource.transaction(async (tx) => {
        await lockCountyBatch(tx, countyId, batchYear);
        const held: { case_id: string }[] = await tx.query(
          `SELECT case_id FROM county_secretary_case WHERE county_id = $1 AND batch_year = $2 ORDER BY reserved_at, case_id`,
          [countyId, batchYear],
        );
        const heldBy = held.map((r) => r.case_id);
        if (heldBy.includes(caseId)) {
          // Already ours (a retry, or the same case re-assigning): keep it, note the current leader.
          await tx.query(
            `UPDATE county_secretary_case SET leader_id = $4
             WHERE county_id = $1 AND batch_year = $2 AND case_id = $3 AND leader_id IS DISTINCT FROM $4`,
            [countyId, batchYear, caseId, leaderId],
          );
          await closeCountySecretaryTask(tx, countyId, batchYear, caseId, leaderId);
          return { granted: true, heldBy };
        }
        // One cap for the whole batch: the seed's one case (a floor no published version may change).
        // Versions published before the floors could say 0–10; the cases of one batch may carry
        // different versions, so no case's own number decides for the others.
        void maxCases;
        if (heldBy.length < COUNTY_SECRETARY_CASES_PER_BATCH) {
          await tx.query(
            `INSERT INTO county_secretary_case (county_id, batch_year, case_id, leader_id, reserved_at)
             VALUES ($1, $2, $3, $4, now())`,
            [countyId, batchYear, caseId, leaderId],
          );
          await closeCountySecretaryTask(tx, countyId, batchYear, caseId, leaderId);
          return { granted: true, heldBy: [...heldBy, caseId] };
        }
        return { granted: false, heldBy };
      });
    },

    async releaseCountySecretaryCase(input: ReleaseCountySecretaryCaseInput): Promise<void> {
      const { countyId, batchYear, caseId } = input;
      await dataSource.transaction(async (tx) => {
        await lockCountyBatch(tx, countyId, batchYear);
        await tx.query(`DELETE FROM county_secretary_case WHERE county_id = $1 AND batch_year = $2 AND case_id = $3`, [
          countyId,
          batchYear,
          caseId,
        ]);
      });
    },
  };
}
