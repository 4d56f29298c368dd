import { Injectable } from '@nestjs/common';
import { DataSource, SelectQueryBuilder, type ObjectLiteral } from 'typeorm';
import { DEFAULT_POLICY, shanghaiDateOf, yearEndOf, type CaseStage, type CaseState, type RegionLevel } from '../../../../libs/domain';
import { RectificationCaseEntity, RegionEntity } from '../../../../libs/persistence';
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

interface RegionRow {
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
    secretary: {
      required: row.secretary_required,
      trainings: [],
      ...(s.secretary ?? {}),
      overdue: (s.secretary?.overdue ?? false) || row.secretary_overdue,
    },
    yearEndDeadline: s.yearEndDeadline ?? yearEndOf(row.batch_year),
    yearEndOverdue: (s.yearEndOverdue ?? false) || row.year_end_overdue,
  } as CaseState;
}

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

  /** One query on `region`: the user's region, the township asked for, and the townships shown. */
  async resolve(user: AuthUser, query: DashboardQuery): Promise<ResolvedScope> {
    const batchYear = query.batchYear ?? Number(shanghaiDateOf(Date.now()).slice(0, 4));
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
    this.scopes.restrict(qb, r.user, alias);
    if (r.townshipId) qb.andWhere(`${alias}.township_id = :drillTownship`, { drillTownship: r.townshipId });
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
}
