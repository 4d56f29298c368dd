import pLimit from 'p-limit';
import { Injectable } from '@nestjs/common';
import { DataSource, SelectQueryBuilder, type ObjectLiteral } from 'typeorm';
import {
  CASE_STAGES,
  dueStatus,
  isUpperRegionLevel,
  quarterEnd,
  quarterKey,
  shanghaiDateOf,
  YEAR_END_OUTLOOKS,
  type CaseStage,
  type CaseState,
  type CaseTracks,
  type LeaderVisitCompliance,
  type LocalDate,
  type OutlookCounts,
  type Quarter,
  type RegionLevel,
  type TrackStatus,
  type YearEndOutlook,
} from '../../../../libs/domain';
import { caseVerdictColumns, completeStoredState, daysPastSql, outlookColumns, RectificationCaseEntity, RegionEntity, preparedQuery, type CaseCard } from '../../../../libs/persistence';
import type { AuthUser } from '../auth/auth-user';
import { ScopeService } from '../scope/scope.service';
import { DashboardException } from './dashboard.exception';
import type { DashboardQuery } from './dto/dashboard.query';

export interface DashboardScope {
  level: RegionLevel;
  regionId: string;
  name: string;
}

export interface TownshipRef {
  id: string;
  name: string;
}

/** What a dashboard or export request covers: the batch, the user's region, perhaps one township. */
export interface ResolvedScope {
  user: AuthUser;
  batchYear: number;
  /** Set on a drill-down to one township. */
  townshipId: string | null;
  /** Set on a drill-down from a province or city to one of its counties. */
  countyId?: string | null;
  scope: DashboardScope;
  /** The townships shown, in the order of their codes: all of the county's, or the one. */
  townships: TownshipRef[];
}

/** A case of the batch as the read model holds it. */
export interface CaseRecord {
  id: string;
  townshipId: string;
  organizationName: string;
  state: CaseState;
}

/** A region as the dashboards' raw queries read it. */
export interface RegionRow {
  id: string;
  name: string;
  level: RegionLevel;
  parent_id: string | null;
  code: string;
}

interface CaseRow {
  id: string;
  township_id: string;
  organization_name: string;
  batch_year: number;
  stage: CaseStage;
  secretary_required: boolean;
  secretary_overdue: boolean;
  year_end_overdue: boolean;
  state: Partial<CaseState> | null;
}

/**
 * The CaseState of a read-model row, completed for rows projected before some fields existed. The
 * summary columns win where they say more (stage; a deadline marked missed), so the row as a whole
 * is what the dashboard shows.
 */
export function stateOfRow(row: CaseRow): CaseState {
  return completeStoredState(row);
}

/** A case row with its day-dependent verdicts, decided in SQL (libs/persistence/case-aggregates.ts). */
export interface VerdictRow {
  id: string;
  county_id: string;
  township_id: string;
  organization_id: string;
  organization_name: string;
  batch_year: number;
  stage: CaseStage;
  reasons: string[];
  designated_at: Date;
  accepted_at: Date | null;
  year_end_deadline: string;
  secretary_required: boolean;
  secretary_deadline: string | null;
  secretary_overdue: boolean;
  secretary_term_ends_on: string | null;
  problems_open: number;
  problems_closed: number;
  measures_total: number;
  measures_done: number;
  projects_count: number;
  visits_count: number;
  visits_this_quarter: number;
  visit_first_quarter: string | null;
  visits_per_quarter: number;
  visit_quarters: Record<string, { n: number; all: number }>;
  accept_total: number;
  accept_unmet: string[];
  card: CaseCard;
  track_leader: TrackStatus;
  track_team: TrackStatus;
  track_problems: TrackStatus;
  track_plan: TrackStatus;
  track_secretary: TrackStatus;
  track_project: TrackStatus;
  is_converted: boolean;
  visits_missed: boolean;
  term_over: boolean;
  unmet: number;
  days_left: number;
  year_end_missed: boolean;
  measures_overdue: number;
  outlook: YearEndOutlook;
  days_needed: number;
}

/** A case as the overview's matrix shows it (`DashboardReadModel.matrix`). */
export type MatrixVerdictRow = Pick<
  VerdictRow,
  'id' | 'county_id' | 'township_id' | 'organization_name' | 'batch_year' | 'stage' | 'is_converted' | 'outlook' | 'track_leader' | 'track_team' | 'track_problems' | 'track_plan' | 'track_secretary' | 'track_project'
> & { off_list: CaseCard['offList'] | null; extended: CaseCard['extended'] | null };

/** The six tracks of a verdict row. */
export function tracksOf(v: Pick<VerdictRow, 'track_leader' | 'track_team' | 'track_problems' | 'track_plan' | 'track_secretary' | 'track_project'>): CaseTracks {
  return { leader: v.track_leader, team: v.track_team, problems: v.track_problems, plan: v.track_plan, secretary: v.track_secretary, project: v.track_project };
}

/**
 * Dashboard statements in flight in this API process, of its pool's 10 connections (libs/persistence). An
 * overview's statements run side by side (a read of 250 cases 40 → 33 ms p50 under the bench's load), but
 * all overviews together hold at most this many connections: held up by a slow or locked read model, they
 * once took the whole pool, and sign-in and every action queued behind them.
 */
export const dashboardStatement = pLimit(4);

/** The request's day as an SQL date: the parameter `today`, set by `verdictQuery`. */
const TODAY = 'CAST(:today AS date)';

/**
 * The read-model queries the dashboard and the exports share: which region and batch a request
 * covers (404 TOWNSHIP_NOT_FOUND for a township outside the user's region), and the batch's cases in it.
 */
@Injectable()
export class DashboardReadModel {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scopes: ScopeService,
  ) {}

  /**
   * Above the county (province, city): the user's region alone, or one of their counties (countyId) or a
   * township of one (townshipId) — 404 for anything outside them. The figures then are the county's, as its
   * own users see them.
   */
  private async resolveUpper(user: AuthUser, query: DashboardQuery, batchYear: number): Promise<ResolvedScope> {
    const own = await this.dataSource.getRepository(RegionEntity).findOneByOrFail({ id: user.regionId });
    const townshipId = query.townshipId ?? null;
    if (!townshipId && !query.countyId) return { user, batchYear, townshipId: null, countyId: null, scope: { level: own.level, regionId: own.id, name: own.name }, townships: [] };
    const askedCounty = townshipId ? null : query.countyId!;
    const t = townshipId ? await this.dataSource.getRepository(RegionEntity).findOneBy({ id: townshipId, level: 'township' }) : null;
    const countyId = askedCounty ?? t?.parentId ?? null;
    if (!countyId || !(await this.scopes.countyBelow(user, countyId)) || (query.countyId && townshipId && query.countyId !== countyId)) {
      if (townshipId) throw DashboardException.townshipNotFound(townshipId);
      throw DashboardException.regionNotFound(askedCounty ?? '');
    }
    const rows = await this.dataSource
      .getRepository(RegionEntity)
      .createQueryBuilder('r')
      .select(['r.id AS id', 'r.name AS name', 'r.level AS level', 'r.parent_id AS parent_id', 'r.code AS code'])
      .where('r.id = :countyId', { countyId })
      .orWhere(`(r.level = 'township' AND r.parent_id = :countyId)`)
      .orderBy('r.code', 'ASC')
      .getRawMany<RegionRow>();
    const county = rows.find((r) => r.id === countyId)!;
    if (t) return { user, batchYear, townshipId, countyId, scope: { level: 'township', regionId: t.id, name: t.name }, townships: [{ id: t.id, name: t.name }] };
    return {
      user,
      batchYear,
      townshipId: null,
      countyId,
      scope: { level: 'county', regionId: county.id, name: county.name },
      townships: rows.filter((r) => r.level === 'township').map((r) => ({ id: r.id, name: r.name })),
    };
  }

  /** One query on `region`: the user's region, the township asked for, and the townships shown. */
  async resolve(user: AuthUser, query: DashboardQuery): Promise<ResolvedScope> {
    const batchYear = query.batchYear ?? Number(shanghaiDateOf(Date.now()).slice(0, 4));
    if (isUpperRegionLevel(user.regionLevel)) return this.resolveUpper(user, query, batchYear);
    // countyId is the drill-down of the levels above the county: anyone else's is their own county or nothing.
    if (query.countyId && query.countyId !== user.countyId) throw DashboardException.regionNotFound(query.countyId);
    const townshipId = query.townshipId ?? null;
    const ids = [user.regionId, ...(townshipId ? [townshipId] : []), ...(user.townshipId ? [user.townshipId] : [])];
    // Every township of the county, for a county user looking at the whole county.
    const listCounty = user.regionLevel === 'county' && !townshipId ? user.countyId : null;
    const rows = await this.dataSource
      .getRepository(RegionEntity)
      .createQueryBuilder('r')
      .select(['r.id AS id', 'r.name AS name', 'r.level AS level', 'r.parent_id AS parent_id', 'r.code AS code'])
      .where('r.id IN (:...ids)', { ids })
      .orWhere(`(r.level = 'township' AND r.parent_id = :listCounty)`, { listCounty })
      .orderBy('r.code', 'ASC')
      .getRawMany<RegionRow>();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const own = byId.get(user.regionId);

    if (townshipId) {
      const t = byId.get(townshipId);
      // A village user may look at their own township: they still see only their village's cases.
      const inScope =
        !!t &&
        t.level === 'township' &&
        (user.regionLevel === 'county' ? t.parent_id === user.countyId : townshipId === user.townshipId);
      if (!t || !inScope) throw DashboardException.townshipNotFound(townshipId);
      const narrower = user.regionLevel === 'village' && own;
      return {
        user,
        batchYear,
        townshipId,
        countyId: null,
        scope: narrower ? { level: 'village', regionId: own.id, name: own.name } : { level: 'township', regionId: t.id, name: t.name },
        townships: [{ id: t.id, name: t.name }],
      };
    }

    const townships =
      user.regionLevel === 'county'
        ? rows.filter((r) => r.level === 'township' && r.parent_id === user.countyId)
        : rows.filter((r) => r.id === user.townshipId);
    return {
      user,
      batchYear,
      townshipId: null,
      countyId: null,
      scope: { level: user.regionLevel, regionId: user.regionId, name: own?.name ?? '' },
      townships: townships.map((r) => ({ id: r.id, name: r.name })),
    };
  }

  /**
   * Restricts a query over rows of the case table (alias with county_id, township_id,
   * organization_id, batch_year) to the batch, the user's region and the township asked for.
   */
  restrictCases<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, r: ResolvedScope, alias = 'c'): SelectQueryBuilder<T> {
    qb.andWhere(`${alias}.batch_year = :batchYear`, { batchYear: r.batchYear });
    // A county below a province or city (resolveUpper checked it) lies in the user's region: no second filter.
    if (!(r.countyId && isUpperRegionLevel(r.user.regionLevel))) this.scopes.restrict(qb, r.user, alias);
    if (r.townshipId) qb.andWhere(`${alias}.township_id = :drillTownship`, { drillTownship: r.townshipId });
    if (r.countyId) qb.andWhere(`${alias}.county_id = :drillCounty`, { drillCounty: r.countyId });
    return qb;
  }

  /**
   * One query: the batch's cases in scope, with their state, by organization name. The notice plan
   * (`notices`: every planned reminder and escalation with its text and recipients) is most of a
   * state's size and nothing here reads it, so PostgreSQL leaves it out.
   */
  async cases(r: ResolvedScope): Promise<CaseRecord[]> {
    const qb = this.dataSource
      .getRepository(RectificationCaseEntity)
      .createQueryBuilder('c')
      .select([
        'c.id AS id',
        'c.township_id AS township_id',
        'c.organization_name AS organization_name',
        'c.batch_year AS batch_year',
        'c.stage AS stage',
        'c.secretary_required AS secretary_required',
        'c.secretary_overdue AS secretary_overdue',
        'c.year_end_overdue AS year_end_overdue',
        `c.state - 'notices' AS state`,
      ]);
    const rows = await this.restrictCases(qb, r).orderBy('c.organization_name', 'ASC').addOrderBy('c.id', 'ASC').getRawMany<CaseRow>();
    return rows.map((row) => ({ id: row.id, townshipId: row.township_id, organizationName: row.organization_name, state: stateOfRow(row) }));
  }

  /**
   * The batch's cases in scope with their verdicts on `today` (tracks, conditions unmet, outlook),
   * decided in SQL over the aggregate columns, as an SQL text and its parameters to select from
   * (`SELECT … FROM (<sql>) v`). Nothing reads the case JSON.
   */
  verdictQuery(r: ResolvedScope, today: LocalDate, restrict: (qb: SelectQueryBuilder<RectificationCaseEntity>) => SelectQueryBuilder<RectificationCaseEntity> = (qb) => this.restrictCases(qb, r)): [string, unknown[]] {
    const qb = this.dataSource
      .getRepository(RectificationCaseEntity)
      .createQueryBuilder('c')
      .select(
        `c.id AS id, c.county_id AS county_id, c.township_id AS township_id, c.organization_id AS organization_id,
         c.organization_name AS organization_name, c.batch_year AS batch_year, c.stage AS stage, c.reasons AS reasons,
         c.designated_at AS designated_at, c.accepted_at AS accepted_at, to_char(c.year_end_deadline, 'YYYY-MM-DD') AS year_end_deadline,
         c.secretary_required AS secretary_required, to_char(c.secretary_deadline, 'YYYY-MM-DD') AS secretary_deadline,
         c.secretary_overdue AS secretary_overdue, to_char(c.secretary_term_ends_on, 'YYYY-MM-DD') AS secretary_term_ends_on, c.problems_open AS problems_open, c.problems_closed AS problems_closed,
         c.measures_total AS measures_total, c.measures_done AS measures_done, c.projects_count AS projects_count,
         c.visits_count AS visits_count, coalesce((c.visit_quarters -> to_char(${TODAY}, 'YYYY-"Q"Q') ->> 'all')::int, 0) AS visits_this_quarter,
         to_char(c.visit_first_quarter, 'YYYY-MM-DD') AS visit_first_quarter, c.visits_per_quarter AS visits_per_quarter,
         c.visit_quarters AS visit_quarters, c.contact_leader_id AS contact_leader_id, c.contact_leader_name AS contact_leader_name,
         c.course_days AS course_days, c.accept_total AS accept_total, c.accept_unmet AS accept_unmet, c.card AS card,
         c.org_handling_awaiting AS org_handling_awaiting, c.org_handling_decided AS org_handling_decided,
         c.deadlines_extended AS deadlines_extended, c.extensions_pending AS extensions_pending,
         ${caseVerdictColumns('c', TODAY)}`,
      )
      .setParameter('today', today);
    const [sql, params] = restrict(qb).getQueryAndParameters();
    return [`SELECT v.*, ${outlookColumns('v')} FROM (${sql} ${ONCE_PER_ROW}) v`, params];
  }

  /** Every case of the batch in scope with its verdicts, by organization name. */
  async verdicts(r: ResolvedScope, today: LocalDate): Promise<VerdictRow[]> {
    const [sql, params] = this.verdictQuery(r, today);
    const rows = await preparedQuery<VerdictRow>(this.dataSource, `${sql} ORDER BY v.organization_name, v.id`, params);
    for (const row of rows) {
      for (const k of ['problems_open', 'problems_closed', 'measures_total', 'measures_done', 'projects_count', 'visits_count', 'visits_this_quarter', 'accept_total', 'unmet', 'days_left', 'measures_overdue', 'days_needed', 'batch_year', 'visits_per_quarter'] as const) {
        row[k] = Number(row[k]);
      }
    }
    return rows;
  }

  /**
   * The overview's matrix: every case of the batch in scope with only what the overview shows of it (its
   * tracks and outlook on `today`, and from its card whether and why it left the list and its extended
   * deadlines), by organization name. PostgreSQL computes none of the verdict columns left out, and the
   * API parses a few columns a case instead of all of `verdicts`'.
   */
  async matrix(r: ResolvedScope, today: LocalDate): Promise<MatrixVerdictRow[]> {
    const [sql, params] = this.verdictQuery(r, today);
    return preparedQuery<MatrixVerdictRow>(
      this.dataSource,
      `SELECT m.id, m.county_id, m.township_id, m.organization_name, m.batch_year, m.stage, m.is_converted, m.outlook,
              m.track_leader, m.track_team, m.track_problems, m.track_plan, m.track_secretary, m.track_project,
              m.card -> 'offList' AS off_list, m.card -> 'extended' AS extended
       FROM (${sql}) m ORDER BY m.organization_name, m.id`,
      params,
    );
  }

  /**
   * The figures of the batch's cases in scope per township (`figuresStatement`, with the 组织处理
   * decisions by measure): one statement.
   */
  async townshipFigures(r: ResolvedScope, today: LocalDate): Promise<FigureRow[]> {
    const qb = this.dataSource.getRepository(RectificationCaseEntity).createQueryBuilder('c').select(`${FIGURE_CASE_COLUMNS}, c.township_id AS row_key`);
    const [sql, params] = this.restrictCases(qb, r).getQueryAndParameters();
    const rows = await preparedQuery<Record<string, unknown>>(this.dataSource, figuresStatement(sql, `$${params.length + 1}::date`, { byMeasure: true }), [...params, today]);
    return rows.map(figureRowOf);
  }

  /**
   * Visit compliance (libs/domain/dashboard.ts visitCompliance) in SQL: per current contact leader of the
   * cases on the list, the cases, and per quarter of the batch year owed so far, visits required and made.
   */
  async visitCompliance(r: ResolvedScope, today: LocalDate): Promise<LeaderVisitCompliance[]> {
    // One statement: the cases on the list with a leader, read once; per leader their number, and per
    // quarter owed so far the visits required and made (no row for a leader who owes none yet).
    const [inner, params] = this.restrictCases(
      this.dataSource
        .getRepository(RectificationCaseEntity)
        .createQueryBuilder('c')
        .select(['c.contact_leader_id AS leader_id', 'c.contact_leader_name AS leader_name', 'c.batch_year AS batch_year', 'c.visits_per_quarter AS per_quarter'])
        .addSelect(['c.visit_quarters AS visit_quarters', 'c.visit_first_quarter AS first_quarter', 'c.visit_owed_until AS owed_until'])
        .where('c.contact_leader_id IS NOT NULL')
        .andWhere(`c.stage <> 'removed'`),
      r,
    ).getQueryAndParameters();
    const start = `make_date(c.batch_year, q.q * 3 - 2, 1)`;
    const sql = `WITH c AS MATERIALIZED (${inner}),
      l AS (SELECT c.leader_id, min(c.leader_name) AS leader_name, count(*) AS cases FROM c GROUP BY 1),
      qs AS (SELECT c.leader_id, q.q AS quarter, sum(c.per_quarter) AS required,
               sum(least(coalesce((c.visit_quarters -> (c.batch_year || '-Q' || q.q) ->> 'n')::int, 0), c.per_quarter)) AS visited
             FROM c CROSS JOIN generate_series(1, 4) AS q(q)
             WHERE c.per_quarter > 0 AND c.first_quarter IS NOT NULL
               AND ${start} >= c.first_quarter AND ${start} <= date_trunc('quarter', $${params.length + 1}::date)
               AND (c.owed_until IS NULL OR ${start} <= c.owed_until)
             GROUP BY 1, 2)
      SELECT l.leader_id, l.leader_name, l.cases, qs.quarter, qs.required, qs.visited FROM l LEFT JOIN qs ON qs.leader_id = l.leader_id`;
    const rows = await preparedQuery<{ leader_id: string; leader_name: string; cases: string; quarter: number | null; required: string | null; visited: string | null }>(this.dataSource, sql, [...params, today]);
    const out = new Map<string, LeaderVisitCompliance>(rows.map((l) => [l.leader_id, { leaderId: l.leader_id, leaderName: l.leader_name, cases: Number(l.cases), quarters: [] }]));
    const quarterRows = rows.filter((q) => q.quarter !== null);
    for (const q of [...quarterRows].sort((a, b) => Number(a.quarter) - Number(b.quarter))) {
      const quarter: Quarter = { year: r.batchYear, quarter: Number(q.quarter) as Quarter['quarter'] };
      const required = Number(q.required);
      const visited = Number(q.visited);
      let status: TrackStatus;
      if (visited >= required) status = 'done';
      else status = dueStatus(quarterEnd(quarter), today);
      out.get(q.leader_id)?.quarters.push({ quarter: quarterKey(quarter), required, visited, status });
    }
    return [...out.values()].sort((a, b) => a.leaderName.localeCompare(b.leaderName, 'zh-CN') || a.leaderId.localeCompare(b.leaderId));
  }
}

/**
 * Ends a subquery whose columns the query above reads more than once: `OFFSET 0` keeps PostgreSQL from
 * pulling the subquery up and copying its expressions into every one that reads them (the outlook reads
 * `unmet`, and through it the day's verdicts, four times), so each verdict is computed once per case.
 */
const ONCE_PER_ROW = 'OFFSET 0';

/** The columns of a case row the figures read: the verdicts' inputs (caseVerdictColumns, outlookColumns), the counts and the visits. */
export const FIGURE_CASE_COLUMNS = [
  'id', 'stage', 'batch_year', 'contact_leader_id', 'leader_gap_end', 'visit_quarters', 'visits_per_quarter', 'visit_first_quarter', 'visit_owed_until',
  'team_done', 'problems_done', 'plan_done', 'project_done', 'measures_next_due', 'measures_undone_due', 'secretary_done', 'secretary_overdue',
  'secretary_deadline', 'secretary_term_ends_on', 'accept_unmet', 'accept_total', 'course_days', 'year_end_deadline', 'year_end_overdue',
  'org_handling_awaiting', 'org_handling_decided', 'org_handling_measures', 'deadlines_extended', 'extensions_pending', 'open_tasks_due',
]
  .map((col) => `c.${col}`)
  .join(', ');

/** The open escalations' rungs the dashboards count. */
const RUNGS = ['supervision', 'public_notice', 'interview'] as const;

/**
 * One statement for a dashboard's figures per group: `cases` selects the cases in scope with
 * `FIGURE_CASE_COLUMNS` and their group's key (`row_key`); they are read once (a CTE) and give, per key,
 * the figures of `rollupItems` over their verdicts on `today` (an SQL date), the open tasks past due
 * (overdue_tasks, from the due days the projection writes on the row, `open_tasks_due`), the open
 * escalations by rung ("esc:<rung>") and in all (esc_total), the visits owed and made this year so far
 * (visits_required, visits_visited); with `byMeasure`, also the 组织处理 decisions of all the cases by
 * measure (by_measure, a JSON object, the same on every row).
 */
export function figuresStatement(cases: string, today: string, opts: { byMeasure?: boolean } = {}): string {
  const start = `make_date(c.batch_year, q.q * 3 - 2, 1)`;
  const byMeasure = opts.byMeasure
    ? `, (SELECT coalesce(json_object_agg(x.measure, x.n), '{}') FROM (SELECT m.measure, count(*) AS n FROM c CROSS JOIN unnest(c.org_handling_measures) AS m(measure) GROUP BY 1) x) AS by_measure`
    : '';
  return `WITH c AS MATERIALIZED (${cases}),
    grp AS (SELECT ${rollupItems('w.row_key').join(', ')},
              coalesce(sum(${daysPastSql('w.open_tasks_due', today)}), 0) AS overdue_tasks
            FROM (SELECT v.*, ${outlookColumns('v')} FROM (SELECT c.*, ${caseVerdictColumns('c', today)} FROM c ${ONCE_PER_ROW}) v ${ONCE_PER_ROW}) w GROUP BY 1),
    esc AS (SELECT c.row_key AS key, count(*) AS total, ${RUNGS.map((g) => `count(*) FILTER (WHERE e.rung = '${g}') AS "esc:${g}"`).join(', ')}
            FROM c JOIN escalation e ON e.case_id = c.id WHERE e.resolved_at IS NULL GROUP BY 1),
    vis AS (SELECT c.row_key AS key, sum(c.visits_per_quarter) AS required,
              sum(least(coalesce((c.visit_quarters -> (c.batch_year || '-Q' || q.q) ->> 'n')::int, 0), c.visits_per_quarter)) AS visited
            FROM c CROSS JOIN generate_series(1, 4) AS q(q)
            WHERE c.contact_leader_id IS NOT NULL AND c.stage <> 'removed' AND c.visits_per_quarter > 0 AND c.visit_first_quarter IS NOT NULL
              AND ${start} >= c.visit_first_quarter AND ${start} <= date_trunc('quarter', ${today}) AND (c.visit_owed_until IS NULL OR ${start} <= c.visit_owed_until)
            GROUP BY 1)
    SELECT grp.*, coalesce(esc.total, 0) AS esc_total, ${RUNGS.map((g) => `coalesce(esc."esc:${g}", 0) AS "esc:${g}"`).join(', ')},
           coalesce(vis.required, 0) AS visits_required, coalesce(vis.visited, 0) AS visits_visited${byMeasure}
    FROM grp LEFT JOIN esc ON esc.key = grp.key LEFT JOIN vis ON vis.key = grp.key`;
}

/** A row of `figuresStatement`: the group's figures, and beside them its tasks, escalations and visits. */
export interface FigureRow extends RollupRow {
  overdueTasks: number;
  escalations: { total: number } & Record<(typeof RUNGS)[number], number>;
  visits: { required: number; visited: number };
  /** With `byMeasure` only. */
  byMeasure?: Record<string, number>;
}

export function figureRowOf(row: Record<string, unknown>): FigureRow {
  return {
    ...rollupRowOf(row),
    overdueTasks: Number(row.overdue_tasks),
    escalations: { total: Number(row.esc_total), supervision: Number(row['esc:supervision']), public_notice: Number(row['esc:public_notice']), interview: Number(row['esc:interview']) },
    visits: { required: Number(row.visits_required), visited: Number(row.visits_visited) },
    ...(row.by_measure ? { byMeasure: row.by_measure as Record<string, number> } : {}),
  };
}

/**
 * The SELECT items of one group's figures over verdict rows `w` (`verdictQuery`'s, or any row carrying its
 * columns and the outlook), the group's key first (`key`): GROUP BY 1. Read back with `rollupRowOf`.
 */
export function rollupItems(key: string): string[] {
  const onList = `w.stage <> 'removed'`;
  return [
    `${key} AS key`,
    `count(*) FILTER (WHERE ${onList}) AS cases`,
    `count(*) FILTER (WHERE NOT (${onList})) AS removed`,
    ...CASE_STAGES.map((st) => `count(*) FILTER (WHERE w.stage = '${st}') AS "stage:${st}"`),
    ...YEAR_END_OUTLOOKS.map((o) => `count(*) FILTER (WHERE ${onList} AND w.outlook = '${o}') AS "outlook:${o}"`),
    `count(*) FILTER (WHERE ${onList} AND w.track_secretary = 'overdue') AS overdue_secretary`,
    `count(*) FILTER (WHERE ${onList} AND w.year_end_missed) AS overdue_year_end`,
    `coalesce(sum(w.measures_overdue) FILTER (WHERE ${onList}), 0) AS overdue_measures`,
    `coalesce(sum(w.org_handling_awaiting), 0) AS org_handling_awaiting`,
    `coalesce(sum(w.org_handling_decided), 0) AS org_handling_decided`,
    `coalesce(sum(w.deadlines_extended) FILTER (WHERE ${onList}), 0) AS deadlines_extended`,
    `coalesce(sum(w.extensions_pending) FILTER (WHERE ${onList}), 0) AS extensions_pending`,
  ];
}

/** A row of `rollupItems` as figures. */
export function rollupRowOf(row: Record<string, unknown>): RollupRow {
  return {
    key: String(row.key),
    cases: Number(row.cases),
    removed: Number(row.removed),
    stages: Object.fromEntries(CASE_STAGES.map((st) => [st, Number(row[`stage:${st}`])])) as Record<CaseStage, number>,
    outlook: Object.fromEntries(YEAR_END_OUTLOOKS.map((o) => [o, Number(row[`outlook:${o}`])])) as OutlookCounts,
    overdue: { secretary: Number(row.overdue_secretary), yearEnd: Number(row.overdue_year_end), measures: Number(row.overdue_measures) },
    orgHandling: { awaitingDecision: Number(row.org_handling_awaiting), decided: Number(row.org_handling_decided) },
    extensions: { extended: Number(row.deadlines_extended), pending: Number(row.extensions_pending) },
  };
}

/** One group's figures (see `DashboardReadModel.rollup`). */
export interface RollupRow {
  key: string;
  /** Cases on the list. */
  cases: number;
  removed: number;
  stages: Record<CaseStage, number>;
  outlook: OutlookCounts;
  overdue: { secretary: number; yearEnd: number; measures: number };
  orgHandling: { awaitingDecision: number; decided: number };
  /** Deadlines moved by an approved 延期, and requests awaiting a decision. */
  extensions: { extended: number; pending: number };
}
