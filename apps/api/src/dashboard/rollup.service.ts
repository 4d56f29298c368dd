import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CASE_STAGES,
  dueSoonWindow,
  expectedByYearEnd,
  isUpperRegionLevel,
  REGION_LEVEL_LABELS,
  shanghaiDateOf,
  type CaseStage,
  type OutlookCounts,
  type RegionLevel,
} from '../../../../libs/domain';
import { RegionEntity, preparedQuery } from '../../../../libs/persistence';
import type { Rollup, RollupFigures, RollupRow } from '../../../../libs/http';
import type { AuthUser } from '../auth/auth-user';
import { attachmentDisposition, buildWorkbook, type SheetColumn } from '../exports/xlsx';
import { figureRowOf, figuresStatement, FIGURE_CASE_COLUMNS, type RegionRow } from './dashboard-read-model';
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
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The region asked for (default the user's own), if it is in the user's region at a level that rolls up,
   * with its rows one level down (a county's townships, a province's or city's cities and counties, by code)
   * and its parent: one look-up. A county lies below a province or city user when its parent or its
   * parent's parent is the user's region (`COUNTIES_UNDER`).
   */
  private async regionOf(user: AuthUser, regionId: string | undefined): Promise<{ region: RegionEntity; children: RegionRow[]; parent: RegionRow | null }> {
    const id = regionId ?? (isUpperRegionLevel(user.regionLevel) ? user.regionId : user.countyId);
    const rows: RegionRow[] = await this.dataSource.query(
      `SELECT r.id, r.name, r.level, r.parent_id, r.code FROM region r
        WHERE r.id = $1 OR r.id = (SELECT p.parent_id FROM region p WHERE p.id = $1) OR (r.parent_id = $1 AND r.level IN ('city', 'county', 'township'))
        ORDER BY r.code`,
      [id],
    );
    const found = rows.find((r) => r.id === id);
    const region = found && Object.assign(new RegionEntity(), { id: found.id, name: found.name, level: found.level, parentId: found.parent_id, code: found.code });
    const parent = (found?.parent_id && rows.find((r) => r.id === found.parent_id)) || null;
    const rollsUp = !!region && (isUpperRegionLevel(region.level) || region.level === 'county');
    let inScope = false;
    if (region && rollsUp) {
      if (isUpperRegionLevel(user.regionLevel)) {
        inScope = region.id === user.regionId || (region.level === 'city' && region.parentId === user.regionId) || (region.level === 'county' && (region.parentId === user.regionId || parent?.parent_id === user.regionId));
      } else inScope = user.regionLevel === 'county' && region.id === user.countyId;
    }
    if (!region || !inScope) throw DashboardException.regionNotFound(id);
    const childLevels = region.level === 'county' ? ['township'] : ['city', 'county'];
    return { region, parent, children: rows.filter((r) => r.parent_id === region.id && childLevels.includes(r.level)) };
  }

  /**
   * One statement for every figure of the rows: the batch's cases of the region with their row key (a
   * county's township; a city's county; a province's county, or the city above it), their verdicts and
   * outlook grouped by that key, and beside each group its overdue open tasks, open escalations by rung and
   * visits owed and made. The region was checked against the user's above, so its cases all lie in the
   * user's region and no second scope filter is needed. A prepared statement per kind of region
   * ($1 the region, $2 the batch year, $3 the day).
   */
  private figuresStatement(level: RegionLevel): string {
    const cases =
      level === 'county'
        ? `SELECT ${FIGURE_CASE_COLUMNS}, c.township_id AS row_key FROM rectification_case c WHERE c.county_id = $1 AND c.batch_year = $2`
        : `SELECT ${FIGURE_CASE_COLUMNS}, k.row_key FROM (
             SELECT k.id, k.id AS row_key FROM region k WHERE k.parent_id = $1 AND k.level = 'county'
             UNION ALL SELECT k.id, ${level === 'province' ? 'm.id' : 'k.id'} FROM region m JOIN region k ON k.parent_id = m.id WHERE m.parent_id = $1 AND k.level = 'county'
           ) k JOIN rectification_case c ON c.county_id = k.id AND c.batch_year = $2`;
    return figuresStatement(cases, '$3::date');
  }

  async rollup(user: AuthUser, query: RollupQuery, nowMs = Date.now()): Promise<Rollup> {
    const { region, children, parent: parentRow } = await this.regionOf(user, query.regionId);
    const batchYear = query.batchYear ?? Number(shanghaiDateOf(nowMs).slice(0, 4));
    const { today } = dueSoonWindow(nowMs);
    const figureRows = await preparedQuery<Record<string, unknown>>(this.dataSource, this.figuresStatement(region.level), [region.id, batchYear, today]);

    const figures = new Map<string, RollupFigures>();
    for (const g of figureRows.map(figureRowOf)) {
      figures.set(g.key, {
        cases: g.cases,
        removed: g.removed,
        stages: g.stages,
        outlook: g.outlook,
        expectedByYearEnd: expectedByYearEnd(g.outlook),
        overdue: { tasks: g.overdueTasks, ...g.overdue },
        openEscalations: { supervision: g.escalations.supervision, public_notice: g.escalations.public_notice, interview: g.escalations.interview },
        visits: g.visits,
      });
    }

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

    const parent: Rollup['parent'] = parentRow && region.id !== user.regionId && isUpperRegionLevel(user.regionLevel) ? { id: parentRow.id, name: parentRow.name, level: parentRow.level } : null;
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
