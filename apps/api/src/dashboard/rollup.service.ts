import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import {
  CASE_STAGES,
  dueSoonWindow,
  expectedByYearEnd,
  isUpperRegionLevel,
  REGION_LEVEL_LABELS,
  shanghaiDateOf,
  type CaseStage,
  type EscalationRung,
  type OutlookCounts,
} from '../../../../libs/domain';
import { RectificationCaseEntity, RegionEntity } from '../../../../libs/persistence';
import type { Rollup, RollupFigures, RollupRow } from '../../../../libs/http';
import type { AuthUser } from '../auth/auth-user';
import { attachmentDisposition, buildWorkbook, type SheetColumn } from '../exports/xlsx';
import { ScopeService } from '../scope/scope.service';
import { DashboardReadModel, type ResolvedScope } from './dashboard-read-model';
import { ESCALATION_RUNGS } from './dashboard.service';
import { DashboardException } from './dashboard.exception';
import type { RollupQuery } from './dto/rollup.query';

export type { Rollup, RollupFigures, RollupRow };

const emptyFigures = (): RollupFigures => ({
  cases: 0,
  removed: 0,
  stages: Object.fromEntries(CASE_STAGES.map((s) => [s, 0])) as Record<CaseStage, number>,
  outlook: { converted: 0, would_pass_now: 0, on_track: 0, at_risk: 0, will_miss: 0 },
  expectedByYearEnd: 0,
  overdue: { tasks: 0, secretary: 0, yearEnd: 0, measures: 0 },
  openEscalations: { supervision: 0, public_notice: 0, interview: 0 },
  visits: { required: 0, visited: 0 },
});

/**
 * The roll-up (汇总看板) of a province, a city or a county (issue 17): one row per region one level down —
 * a province's cities (and the counties right under it), a city's counties, a county's townships — with
 * cases by stage, the year-end outlook, overdue work, open escalations by rung and visit compliance. Every
 * figure is SQL over the case rows' aggregate columns, grouped by the row's region; nothing per case.
 */
@Injectable()
export class RollupService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModel: DashboardReadModel,
    private readonly scopes: ScopeService,
  ) {}

  /** The region asked for (default the user's own), if it is in the user's region at a level that rolls up. */
  private async regionOf(user: AuthUser, regionId: string | undefined): Promise<RegionEntity> {
    const id = regionId ?? (isUpperRegionLevel(user.regionLevel) ? user.regionId : user.countyId);
    const region = await this.dataSource.getRepository(RegionEntity).findOneBy({ id });
    const rollsUp = !!region && (isUpperRegionLevel(region.level) || region.level === 'county');
    let inScope = false;
    if (region && rollsUp) {
      if (isUpperRegionLevel(user.regionLevel)) {
        inScope = region.id === user.regionId || (region.level === 'city' && region.parentId === user.regionId) || (region.level === 'county' && (await this.scopes.countyBelow(user, region.id)));
      } else inScope = user.regionLevel === 'county' && region.id === user.countyId;
    }
    if (!region || !inScope) throw DashboardException.regionNotFound(id);
    return region;
  }

  async rollup(user: AuthUser, query: RollupQuery, nowMs = Date.now()): Promise<Rollup> {
    const region = await this.regionOf(user, query.regionId);
    const batchYear = query.batchYear ?? Number(shanghaiDateOf(nowMs).slice(0, 4));
    const { today } = dueSoonWindow(nowMs);
    const r: ResolvedScope = { user, batchYear, townshipId: null, scope: { level: region.level, regionId: region.id, name: region.name }, townships: [] };

    // The rows one level down, and the SQL that names a case's row (c: its case row, k: its county's region row).
    const children = await this.dataSource
      .getRepository(RegionEntity)
      .createQueryBuilder('r')
      .where('r.parent_id = :id', { id: region.id })
      .andWhere('r.level IN (:...levels)', { levels: region.level === 'county' ? ['township'] : ['city', 'county'] })
      .orderBy('r.code', 'ASC')
      .getMany();
    const key = region.level === 'county' ? 'c.township_id' : region.level === 'city' ? 'c.county_id' : `CASE WHEN k.parent_id = :rollRegion THEN k.id ELSE k.parent_id END`;
    const inRegion = <T extends object>(qb: SelectQueryBuilder<T>, alias = 'c') => {
      qb.andWhere(`${alias}.batch_year = :batchYear`, { batchYear });
      this.scopes.restrict(qb as never, user, alias);
      if (region.level === 'county') return qb.andWhere(`${alias}.county_id = :rollRegion`, { rollRegion: region.id });
      return qb.andWhere(
        `${alias}.county_id = ANY (ARRAY(SELECT k2.id FROM region k2 WHERE k2.parent_id = :rollRegion AND k2.level = 'county' UNION ALL SELECT k2.id FROM region m2 JOIN region k2 ON k2.parent_id = m2.id WHERE m2.parent_id = :rollRegion AND k2.level = 'county'))`,
        { rollRegion: region.id },
      );
    };
    const withKey = <T extends object>(qb: SelectQueryBuilder<T>) => qb.innerJoin(RegionEntity, 'k', 'k.id = c.county_id').setParameter('rollRegion', region.id);

    const repo = this.dataSource.getRepository(RectificationCaseEntity);
    const caseKeys = inRegion(withKey(repo.createQueryBuilder('c')).select('c.id', 'id').addSelect(key, 'key'));
    const [verdictSql, verdictParams] = this.readModel.verdictQuery(r, today, (qb) => inRegion(qb));
    const [keySql, keyParams] = caseKeys.getQueryAndParameters();
    // Both inner queries number their parameters from $1: the keys' move past the verdicts'.
    const shifted = keySql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + verdictParams.length}`);
    const groups = await this.readModel.rollup([`SELECT v.*, ck.key AS row_key FROM (${verdictSql}) v JOIN (${shifted}) ck ON ck.id = v.id`, [...verdictParams, ...keyParams]], 'row_key');

    // Each count: the cases' rows with their row key as a subquery, grouped outside it.
    const grouped = async <R>(inner: SelectQueryBuilder<RectificationCaseEntity>, outer: (from: string, next: number) => string, extra: unknown[] = []): Promise<R[]> => {
      const [sql, params] = inRegion(inner).getQueryAndParameters();
      return this.dataSource.query(outer(`(${sql}) x`, params.length + 1), [...params, ...extra]) as Promise<R[]>;
    };
    const keyed = () => withKey(repo.createQueryBuilder('c')).select(key, 'key');
    const [tasks, escalations, visits] = await Promise.all([
      grouped<{ key: string; n: string }>(
        keyed().innerJoin('task', 't', `t.case_id = c.id AND t.status = 'open'`).addSelect('t.due_on', 'due_on'),
        (from, n) => `SELECT x.key, count(*) AS n FROM ${from} WHERE x.due_on < $${n}::date GROUP BY x.key`,
        [today],
      ),
      grouped<{ key: string; rung: EscalationRung; n: string }>(
        keyed().innerJoin('escalation', 'e', 'e.case_id = c.id AND e.resolved_at IS NULL').addSelect('e.rung', 'rung'),
        (from) => `SELECT x.key, x.rung, count(*) AS n FROM ${from} GROUP BY x.key, x.rung`,
      ),
      grouped<{ key: string; required: string; visited: string }>(
        keyed()
          .addSelect(['c.batch_year AS batch_year', 'c.visits_per_quarter AS per_quarter', 'c.visit_quarters AS visit_quarters', 'c.visit_first_quarter AS first_quarter', 'c.visit_owed_until AS owed_until'])
          .andWhere(`c.contact_leader_id IS NOT NULL AND c.stage <> 'removed' AND c.visits_per_quarter > 0 AND c.visit_first_quarter IS NOT NULL`),
        (from, n) => {
          const start = `make_date(x.batch_year, q.q * 3 - 2, 1)`;
          return `SELECT x.key, sum(x.per_quarter) AS required,
                    sum(least(coalesce((x.visit_quarters -> (x.batch_year || '-Q' || q.q) ->> 'n')::int, 0), x.per_quarter)) AS visited
                  FROM ${from} CROSS JOIN generate_series(1, 4) AS q(q)
                  WHERE ${start} >= x.first_quarter AND ${start} <= date_trunc('quarter', $${n}::date) AND (x.owed_until IS NULL OR ${start} <= x.owed_until)
                  GROUP BY x.key`;
        },
        [today],
      ),
    ]);

    const figures = new Map<string, RollupFigures>();
    const of = (k: string) => figures.get(k) ?? figures.set(k, emptyFigures()).get(k)!;
    for (const g of groups) Object.assign(of(g.key), { cases: g.cases, removed: g.removed, stages: g.stages, outlook: g.outlook, expectedByYearEnd: expectedByYearEnd(g.outlook) }, { overdue: { ...of(g.key).overdue, ...g.overdue } });
    for (const t of tasks) of(t.key).overdue.tasks = Number(t.n);
    for (const e of escalations) if (e.rung in of(e.key).openEscalations) of(e.key).openEscalations[e.rung] = Number(e.n);
    for (const v of visits) of(v.key).visits = { required: Number(v.required), visited: Number(v.visited) };

    const rows: RollupRow[] = children.map((c) => ({ regionId: c.id, name: c.name, level: c.level, levelLabel: REGION_LEVEL_LABELS[c.level], ...(figures.get(c.id) ?? emptyFigures()) }));
    const totals = emptyFigures();
    for (const f of figures.values()) {
      totals.cases += f.cases;
      totals.removed += f.removed;
      for (const s of CASE_STAGES) totals.stages[s] += f.stages[s];
      for (const o of Object.keys(totals.outlook) as (keyof OutlookCounts)[]) totals.outlook[o] += f.outlook[o];
      for (const o of Object.keys(totals.overdue) as (keyof RollupFigures['overdue'])[]) totals.overdue[o] += f.overdue[o];
      for (const g of ESCALATION_RUNGS) totals.openEscalations[g] += f.openEscalations[g];
      totals.visits.required += f.visits.required;
      totals.visits.visited += f.visits.visited;
    }
    totals.expectedByYearEnd = expectedByYearEnd(totals.outlook);

    let parent: Rollup['parent'] = null;
    if (region.parentId && region.id !== user.regionId && isUpperRegionLevel(user.regionLevel)) {
      const p = await this.dataSource.getRepository(RegionEntity).findOneBy({ id: region.parentId });
      if (p) parent = { id: p.id, name: p.name, level: p.level };
    }
    return { batchYear, region: { id: region.id, name: region.name, level: region.level, levelLabel: REGION_LEVEL_LABELS[region.level] }, parent, totals, rows };
  }

  /** The roll-up as Excel: a row per region one level down, then the total. */
  async export(user: AuthUser, query: RollupQuery, nowMs = Date.now()): Promise<{ buffer: Buffer; disposition: string }> {
    const r = await this.rollup(user, query, nowMs);
    const total: RollupRow = { regionId: r.region.id, name: `合计（${r.region.name}）`, level: r.region.level, levelLabel: r.region.levelLabel, ...r.totals };
    const n = (header: string, value: (row: RollupRow) => number): SheetColumn<RollupRow> => ({ header, kind: 'number', value });
    const columns: SheetColumn<RollupRow>[] = [
      { header: '区划', value: (row) => row.name },
      { header: '级别', value: (row) => row.levelLabel },
      n('整顿对象（在册）', (row) => row.cases),
      n('已认定', (row) => row.stages.designated),
      n('整顿中', (row) => row.stages.rectifying),
      n('待验收', (row) => row.stages.awaiting_acceptance),
      n('已转化', (row) => row.outlook.converted),
      n('预计年底前转化', (row) => row.expectedByYearEnd),
      n('有风险', (row) => row.outlook.at_risk),
      n('将无法按期转化', (row) => row.outlook.will_miss),
      n('逾期待办', (row) => row.overdue.tasks),
      n('逾期整改措施', (row) => row.overdue.measures),
      n('书记选配逾期', (row) => row.overdue.secretary),
      n('督办（未办结）', (row) => row.openEscalations.supervision),
      n('通报（未办结）', (row) => row.openEscalations.public_notice),
      n('约谈（未办结）', (row) => row.openEscalations.interview),
      n('应调研指导次数', (row) => row.visits.required),
      n('已调研指导次数', (row) => row.visits.visited),
      n('移出名单', (row) => row.removed),
    ];
    const title = `整顿汇总-${r.region.name}-${r.batchYear}`;
    const buffer = await buildWorkbook('整顿汇总', columns, [...r.rows, total], nowMs);
    return { buffer, disposition: attachmentDisposition(`rollup-${r.batchYear}.xlsx`, `${title}.xlsx`) };
  }
}
