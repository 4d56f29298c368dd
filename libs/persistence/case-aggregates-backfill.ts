import { DEFAULT_POLICY, yearEndOf, type CaseState } from '../domain';
import { AGGREGATE_COLUMNS, aggregateParams, caseAggregates } from './case-aggregates';

/** Anything that runs a query: a QueryRunner, an EntityManager, a DataSource. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

interface StoredRow {
  id: string;
  organization_name: string;
  township_id: string;
  batch_year: number;
  stage: CaseState['stage'];
  secretary_required: boolean;
  secretary_overdue: boolean;
  year_end_overdue: boolean;
  state: Partial<CaseState> | null;
}

/** The stored state of a row, completed for rows projected before some fields existed. */
export function completeStoredState(row: StoredRow): CaseState {
  const s: Partial<CaseState> = row.state ?? {};
  return {
    ...s,
    caseId: s.caseId ?? row.id,
    organizationName: s.organizationName ?? row.organization_name,
    townshipId: s.townshipId ?? row.township_id,
    batchYear: s.batchYear ?? row.batch_year,
    reasons: s.reasons ?? [],
    stage: row.stage,
    policy: { ...DEFAULT_POLICY, ...(s.policy ?? {}) },
    previousContactLeaders: s.previousContactLeaders ?? [],
    visits: s.visits ?? [],
    practicalThings: s.practicalThings ?? [],
    problems: s.problems ?? [],
    consultations: s.consultations ?? [],
    measures: s.measures ?? [],
    projects: s.projects ?? [],
    acceptanceRefusals: s.acceptanceRefusals ?? [],
    relapses: s.relapses ?? [],
    secretary: { required: row.secretary_required, trainings: [], ...(s.secretary ?? {}), overdue: (s.secretary?.overdue ?? false) || row.secretary_overdue },
    yearEndDeadline: s.yearEndDeadline ?? yearEndOf(row.batch_year),
    yearEndOverdue: (s.yearEndOverdue ?? false) || row.year_end_overdue,
  } as CaseState;
}

/** `UPDATE … SET <aggregate columns> = $n…` of one case row, parameters from $2 on ($1 is the id). */
export const UPDATE_AGGREGATES_SQL = `UPDATE rectification_case SET ${AGGREGATE_COLUMNS.map(([name, cast], i) => `${name} = $${i + 2}::${cast}`).join(', ')} WHERE id = $1`;

/**
 * Writes the aggregate columns of every case row (or of the rows given) from its stored state, 500 rows
 * at a time. The migration that added them and the read-model rebuild call it; it changes nothing else.
 */
export async function refreshCaseAggregates(db: Queryable, ids?: string[]): Promise<number> {
  let after = '';
  let done = 0;
  for (;;) {
    const rows = (await db.query(
      `SELECT id, organization_name, township_id, batch_year, stage, secretary_required, secretary_overdue, year_end_overdue,
              state - 'notices' AS state
       FROM rectification_case WHERE id > $1 AND ($2::varchar[] IS NULL OR id = ANY ($2::varchar[])) ORDER BY id LIMIT 500`,
      [after, ids ?? null],
    )) as StoredRow[];
    if (rows.length === 0) return done;
    for (const row of rows) {
      await db.query(UPDATE_AGGREGATES_SQL, [row.id, ...aggregateParams(caseAggregates(completeStoredState(row)))]);
      done += 1;
    }
    after = rows[rows.length - 1].id;
  }
}
