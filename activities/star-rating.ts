import type { Client } from '@temporalio/client';
import type { DataSource, EntityManager } from 'typeorm';
import {
  caseIdFor,
  DEFAULT_POLICY,
  designationBatchYear,
  requiresSecretaryAdjustment,
  SYSTEM_ACTOR,
  type RatingAuditEvent,
  type RatingConsequence,
  type RectificationPolicy,
  type StarRatingState,
  type Stars,
} from '../libs/domain';
import { CaseAlreadyDesignatedError, executeCaseCommand, reopenRectifyCase, ruleViolationOf, startRectifyCase } from '../libs/temporal/rectify-case.client';
import type { AddDesignationReasonInput } from '../libs/domain/case/commands';
import type { CaseState } from '../libs/domain/case/types';
import type { OrganizationDomain } from '../libs/domain/organization';
import { practiceFor } from '../libs/domain/practice';

export interface StarRatingDeps {
  dataSource: DataSource;
  /** Starting the next batch's case needs a client; without one (some tests) nothing is designated. */
  temporal?: { client: Client; taskQueue: string };
}

export interface DesignateOneStarInput {
  ratingId: string;
  organizationId: string;
  year: number;
  stars: Stars;
  score: number | null;
  downgraded: boolean;
}

async function upsertRating(tx: EntityManager, s: StarRatingState): Promise<void> {
  const e = s.evaluation;
  const latestConsequence = s.consequences.at(-1);
  await tx.query(
    `INSERT INTO star_rating AS r
       (id, organization_id, organization_name, organization_domain, county_id, township_id, year, stage,
        self_score, applied_stars, score, stars, score_stars, evaluation_level, notice_ends_at, open_objections,
        named_at, downgraded, designated_case_id, secretary_adjustment, version, updated_at, state)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, now(), $22::jsonb)
     ON CONFLICT (id) DO UPDATE SET
       organization_name = EXCLUDED.organization_name, stage = EXCLUDED.stage, self_score = EXCLUDED.self_score,
       applied_stars = EXCLUDED.applied_stars, score = EXCLUDED.score, stars = EXCLUDED.stars,
       score_stars = EXCLUDED.score_stars, evaluation_level = EXCLUDED.evaluation_level,
       notice_ends_at = EXCLUDED.notice_ends_at, open_objections = EXCLUDED.open_objections,
       named_at = EXCLUDED.named_at, downgraded = EXCLUDED.downgraded,
       designated_case_id = EXCLUDED.designated_case_id, secretary_adjustment = EXCLUDED.secretary_adjustment,
       version = EXCLUDED.version, updated_at = now(), state = EXCLUDED.state
     WHERE r.version < EXCLUDED.version`,
    [
      s.ratingId,
      s.organizationId,
      s.organizationName,
      s.organizationDomain,
      s.countyId,
      s.townshipId,
      s.year,
      s.stage,
      s.application?.selfScore ?? null,
      s.application?.appliedStars ?? null,
      e?.score ?? null,
      s.stars ?? e?.stars ?? null,
      e?.scoreStars ?? null,
      e?.level ?? null,
      s.notice && s.stage === 'public_notice' ? new Date(s.notice.endsAtMs) : null,
      s.objections.filter((o) => !o.resolution).length,
      s.namedAt ?? null,
      s.downgrades.length > 0,
      latestConsequence?.designatedCaseId ?? null,
      s.consequences.some((c) => c.secretaryAdjustment),
      s.version,
      JSON.stringify(s),
    ],
  );
}

async function insertEvents(tx: EntityManager, events: RatingAuditEvent[]): Promise<void> {
  if (!events.length) return;
  const rows = events.map((e, n) => ({
    n,
    key: e.key,
    actor: e.actor.name,
    actor_id: e.actor.id,
    actor_role: e.actor.role,
    action: e.action,
    occurred_at: e.occurredAt,
    payload: e.payload,
  }));
  await tx.query(
    `INSERT INTO audit_entry (idempotency_key, case_id, actor, actor_id, actor_role, action, occurred_at, payload)
     SELECT e.key, NULL, e.actor, e.actor_id, e.actor_role, e.action, e.occurred_at, e.payload
     FROM jsonb_to_recordset($1::jsonb) AS e(n int, key varchar, actor varchar, actor_id varchar, actor_role varchar,
          action varchar, occurred_at timestamptz, payload jsonb)
     ORDER BY e.n
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

async function currentPolicy(dataSource: DataSource, countyId: string): Promise<RectificationPolicy> {
  const rows: { policy: RectificationPolicy; version: number }[] = await dataSource.query(
    `SELECT policy, version FROM county_policy WHERE county_id = $1 ORDER BY version DESC LIMIT 1`,
    [countyId],
  );
  return rows[0] ? { ...rows[0].policy, version: rows[0].version } : structuredClone(DEFAULT_POLICY);
}

/**
 * S1 onto a case the organization already has for the batch: added by the case's own Update (a
 * retry answers the same: the Update id is fixed, and S1 already there is what the retry wanted); a
 * case taken off the list starts a new run that puts it back with S1. 'had': the case already had S1
 * (this activity started it, on an earlier attempt); 'closed': the case was closed after its
 * follow-up review, and the rating stays on the record of the next batch.
 */
async function addOneStar(client: Client, taskQueue: string, dataSource: DataSource, caseId: string, addition: AddDesignationReasonInput): Promise<'added' | 'reopened' | 'had' | 'closed'> {
  const [row]: { reasons: string[]; stage: string; state: CaseState }[] = await dataSource.query(`SELECT reasons, stage, state FROM rectification_case WHERE id = $1`, [caseId]);
  if (!row) throw new Error(`case ${caseId} is designated but not yet in the read model`); // retried until projected
  if (row.reasons.includes('S1')) return 'had';
  if (row.stage === 'closed') return 'closed';
  if (row.stage === 'removed') {
    await reopenRectifyCase(client, taskQueue, row.state, { addition });
    return 'reopened';
  }
  try {
    await executeCaseCommand(client, caseId, 'addDesignationReason', addition, { updateId: `${caseId}:S1` });
  } catch (err) {
    if (ruleViolationOf(err)?.rule !== 'REASON_ALREADY_PRESENT') throw err;
  }
  return 'added';
}

/**
 * The star rating's I/O: its projection into the read model and the audit trail (idempotent: the
 * row only moves forward by version, events are keyed), and the consequence of a one-star grade.
 */
export function createStarRatingActivities(deps: StarRatingDeps) {
  const { dataSource } = deps;
  return {
    async projectStarRating(state: StarRatingState, events: RatingAuditEvent[]): Promise<void> {
      await dataSource.transaction(async (tx) => {
        await upsertRating(tx, state);
        await insertEvents(tx, events ?? []);
      });
    },

    /**
     * 一星级 → 软弱涣散党组织: designates the organization into the next year's batch and starts its
     * case, by reason S1. With the year before also one star, the case carries the secretary's
     * adjustment for the county organization department. A retry finds the case already started
     * and answers the same.
     */
    async designateOneStarOrganization(input: DesignateOneStarInput): Promise<RatingConsequence> {
      const batchYear = designationBatchYear(input);
      const caseId = caseIdFor(input.organizationId, batchYear);
      const [org]: { id: string; name: string; township_id: string; county_id: string; region_id: string; domain: OrganizationDomain }[] = await dataSource.query(
        `SELECT id, name, township_id, county_id, region_id, domain FROM organization WHERE id = $1`,
        [input.organizationId],
      );
      if (!org) throw new Error(`organization ${input.organizationId} not found`);
      const [previous]: { stars: Stars | null }[] = await dataSource.query(
        `SELECT stars FROM star_rating WHERE organization_id = $1 AND year = $2 AND stage = 'named'`,
        [input.organizationId, input.year - 1],
      );
      const previousYearStars = previous?.stars ?? null;
      const secretaryAdjustment = requiresSecretaryAdjustment(input.stars, previousYearStars ?? undefined);
      const at = new Date().toISOString();
      if (!deps.temporal) return { at, stars: input.stars, previousYearStars, designatedCaseId: null, caseExisted: false, secretaryAdjustment };

      let caseExisted = false;
      let s1: RatingConsequence['s1'];
      const how = input.downgraded ? '动态调整降为一星级' : `星级评定为一星级${input.score !== null ? `（考核得分${input.score}）` : ''}`;
      const note = `${input.year}年度${how}，按规定自动认定为${batchYear}年度软弱涣散党组织${secretaryAdjustment ? `；连续两年一星级（${input.year - 1}、${input.year}年），须对党组织书记进行组织调整` : ''}`;
      const adjustment = secretaryAdjustment ? { secretaryAdjustment: { oneStarYears: [input.year - 1, input.year] } } : {};
      const policy = await currentPolicy(dataSource, org.county_id);
      try {
        await startRectifyCase(deps.temporal.client, deps.temporal.taskQueue, {
          caseId,
          organization: { id: org.id, name: org.name, townshipId: org.township_id, countyId: org.county_id, regionId: org.region_id, domain: org.domain },
          batchYear,
          reasons: ['S1'],
          note,
          designatedBy: SYSTEM_ACTOR,
          designatedAt: at,
          policy,
          // The playbook of the organization's kind (issue 18), kept by the case.
          practice: practiceFor(policy, org.domain),
          ...adjustment,
        });
      } catch (err) {
        if (!(err instanceof CaseAlreadyDesignatedError)) throw err;
        // Started by an earlier attempt of this activity, or designated by the county already: no
        // hiding (seed 000 §三) — the case gets S1, which keeps it on the list, and the adjustment.
        const addition: AddDesignationReasonInput = { actor: SYSTEM_ACTOR, reason: 'S1', note, ...adjustment };
        const outcome = await addOneStar(deps.temporal.client, deps.temporal.taskQueue, dataSource, caseId, addition);
        caseExisted = outcome !== 'had';
        if (outcome === 'added' || outcome === 'reopened') s1 = outcome;
      }
      return { at, stars: input.stars, previousYearStars, designatedCaseId: caseId, caseExisted, secretaryAdjustment, ...(s1 ? { s1 } : {}) };
    },
  };
}
