import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CASE_STAGES,
  dueSoonWindow,
  emptyOutlookCounts,
  expectedByYearEnd,
  isUpperRegionLevel,
  ORGANIZATIONAL_HANDLING_MEASURES,
  quarterLabel,
  YEAR_END_OUTLOOKS,
  yearEndOf,
  type CaseStage,
  type EscalationRung,
  type OrganizationalHandlingMeasure,
} from '../../../../libs/domain';
import type { AbnormalCase, DashboardOverview, MatrixRow, RemovedCase, TownshipOverview, WaitingInspection } from '../../../../libs/http';
import { listAbnormalCaseRuns } from '../../../../libs/temporal';
import { TemporalClientService } from '../temporal/temporal.module';
import { RectificationCaseEntity, TaskEntity } from '../../../../libs/persistence';
import type { AuthUser } from '../auth/auth-user';
import { DashboardReadModel, dashboardStatement, tracksOf, type ResolvedScope } from './dashboard-read-model';
import type { DashboardQuery } from './dto/dashboard.query';

export const ESCALATION_RUNGS: readonly EscalationRung[] = ['supervision', 'public_notice', 'interview'];

export type { DashboardOverview, MatrixRow, RemovedCase, TownshipOverview };

/** The county dashboard (县级看板), answered from the read model: never per case, never from Temporal. */
@Injectable()
export class DashboardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModel: DashboardReadModel,
    private readonly temporal: TemporalClientService,
  ) {}

  /** The counties' case runs that ended abnormally, by case id; undefined when Temporal does not answer. */
  private async abnormalRuns(countyIds: string[]): Promise<Map<string, string> | undefined> {
    const runs = new Map<string, string>();
    try {
      for (const countyId of new Set(countyIds)) for (const [id, status] of await listAbnormalCaseRuns(this.temporal.client, countyId)) runs.set(id, status);
    } catch {
      return undefined;
    }
    return runs;
  }

  /**
   * 异常: cases of the batch whose workflow run ended abnormally (terminated, failed, timed out) while
   * the case had not; the county organization department restarts them (POST /api/cases/:id/restart).
   * Temporal's visibility lists them; unreachable, the list is empty rather than the dashboard down.
   */
  private abnormalCases(
    cases: { id: string; organizationName: string; townshipId: string; state: { countyId: string; stage: CaseStage } }[],
    townshipNames: Map<string, string>,
    runs: Map<string, string> | undefined,
  ): AbnormalCase[] {
    if (!runs) return [];
    return cases
      .filter((c) => runs.has(c.id) && c.state.stage !== 'closed' && c.state.stage !== 'removed')
      .map((c) => ({ caseId: c.id, organizationName: c.organizationName, townshipId: c.townshipId, townshipName: townshipNames.get(c.townshipId) ?? '', stage: c.state.stage, executionStatus: runs.get(c.id)! }));
  }

  /** One query: steps of the batch's cases in scope waiting for the county's sign-off (open 督导把关 tasks). */
  private async waitingInspections(r: ResolvedScope): Promise<{ case_id: string; organization_name: string; township_id: string; title: string; due_on: string | null }[]> {
    const qb = this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .innerJoin(RectificationCaseEntity, 'c', 'c.id = t.case_id')
      .select('t.case_id', 'case_id')
      .addSelect('c.organization_name', 'organization_name')
      .addSelect('c.township_id', 'township_id')
      .addSelect('t.title', 'title')
      .addSelect(`to_char(t.due_on, 'YYYY-MM-DD')`, 'due_on')
      .where(`t.status = 'open'`)
      .andWhere(`t.kind = 'inspect_step'`);
    return this.readModel.restrictCases(qb, r).orderBy('t.due_on', 'ASC', 'NULLS LAST').addOrderBy('t.key', 'ASC').getRawMany();
  }

  async overview(user: AuthUser, query: DashboardQuery, nowMs = Date.now()): Promise<DashboardOverview> {
    const r = await this.readModel.resolve(user, query);
    // Of one county, Temporal's visibility is asked beside the SQL below: it takes no connection of the pool.
    const county = r.countyId ?? (isUpperRegionLevel(user.regionLevel) ? null : user.countyId);
    const runsAsked = county ? this.abnormalRuns([county]) : undefined;
    const { today } = dueSoonWindow(nowMs);
    // Every figure is SQL over the case rows' aggregate columns (issue 17): the verdicts of each case on
    // `today`, and per township one statement for the counts, overdue tasks, escalations and 组织处理.
    // Side by side, within the dashboards' share of the pool (dashboardStatement).
    const [cases, groups, compliance, waiting] = await Promise.all([
      dashboardStatement(() => this.readModel.matrix(r, today)),
      dashboardStatement(() => this.readModel.townshipFigures(r, today)),
      dashboardStatement(() => this.readModel.visitCompliance(r, today)),
      dashboardStatement(() => this.waitingInspections(r)),
    ]);
    const byMeasure = groups[0]?.byMeasure ?? {};

    const stages = Object.fromEntries(CASE_STAGES.map((s) => [s, 0])) as Record<CaseStage, number>;
    const overdue = { tasks: 0, secretary: 0, yearEnd: 0, measures: 0 };
    const counts = emptyOutlookCounts();
    const organizationalHandling = {
      awaitingDecision: 0,
      decided: 0,
      byMeasure: Object.fromEntries(ORGANIZATIONAL_HANDLING_MEASURES.map((m) => [m, byMeasure[m] ?? 0])) as Record<OrganizationalHandlingMeasure, number>,
    };
    const extensions = { extended: 0, pending: 0 };
    const openByRung = Object.fromEntries(ESCALATION_RUNGS.map((g) => [g, 0])) as Record<EscalationRung, number>;
    const escalationsByTownship = new Map<string, number>();
    const overdueTasks = new Map<string, number>();
    for (const g of groups) {
      for (const rung of ESCALATION_RUNGS) openByRung[rung] += g.escalations[rung];
      escalationsByTownship.set(g.key, g.escalations.total);
      overdueTasks.set(g.key, g.overdueTasks);
      overdue.tasks += g.overdueTasks;
    }

    const townships = new Map<string, TownshipOverview>();
    const row = (id: string, name: string): TownshipOverview => {
      let t = townships.get(id);
      if (!t) {
        t = { townshipId: id, name, cases: 0, converted: 0, openEscalations: escalationsByTownship.get(id) ?? 0, overdueTasks: overdueTasks.get(id) ?? 0, matrix: [] };
        townships.set(id, t);
      }
      return t;
    };
    for (const t of r.townships) row(t.id, t.name);
    let total = 0;
    for (const g of groups) {
      for (const st of CASE_STAGES) stages[st] += g.stages[st];
      for (const o of YEAR_END_OUTLOOKS) counts[o] += g.outlook[o];
      overdue.secretary += g.overdue.secretary;
      overdue.yearEnd += g.overdue.yearEnd;
      overdue.measures += g.overdue.measures;
      organizationalHandling.awaitingDecision += g.orgHandling.awaitingDecision;
      organizationalHandling.decided += g.orgHandling.decided;
      extensions.extended += g.extensions.extended;
      extensions.pending += g.extensions.pending;
      total += g.cases;
    }

    const townshipNames = new Map(r.townships.map((t) => [t.id, t.name]));
    const abnormal = this.abnormalCases(
      cases.map((c) => ({ id: c.id, organizationName: c.organization_name, townshipId: c.township_id, state: { countyId: c.county_id, stage: c.stage } })),
      townshipNames,
      // Above one county (a province or city overview), the counties are those of the cases found.
      await (runsAsked ?? this.abnormalRuns(cases.map((c) => c.county_id))),
    );
    const removed: RemovedCase[] = [];
    for (const c of cases) {
      if (c.stage === 'removed') {
        const off = c.off_list;
        removed.push({
          caseId: c.id,
          organizationName: c.organization_name,
          townshipId: c.township_id,
          townshipName: townshipNames.get(c.township_id) ?? '',
          batchYear: c.batch_year,
          reason: off?.reason ?? '',
          removedBy: (off?.removedBy as RemovedCase['removedBy']) ?? null,
          removedAt: off?.at ?? null,
          fromStage: (off?.fromStage as CaseStage | null) ?? null,
        });
        continue;
      }
      const t = row(c.township_id, c.township_id);
      t.cases += 1;
      if (c.is_converted) t.converted += 1;
      t.matrix.push({ caseId: c.id, organizationName: c.organization_name, stage: c.stage, tracks: tracksOf(c), outlook: c.outlook, extended: c.extended ?? [] });
    }
    removed.sort((a, b) => (b.removedAt ?? '').localeCompare(a.removedAt ?? '') || a.caseId.localeCompare(b.caseId));

    const yearEnd = yearEndOf(r.batchYear);
    const expected = expectedByYearEnd(counts);
    return {
      batchYear: r.batchYear,
      scope: r.scope,
      total,
      stages,
      converted: counts.converted,
      outlook: { yearEnd, counts, expectedByYearEnd: expected },
      // The old figures, derived from the same counts so no page can disagree with the outlook.
      forecast: {
        yearEnd,
        converted: counts.converted,
        onTrack: counts.would_pass_now + counts.on_track,
        atRisk: counts.at_risk,
        overdue: counts.will_miss,
        expectedByYearEnd: expected,
      },
      overdue,
      openEscalations: openByRung,
      townships: [...townships.values()],
      visitCompliance: compliance.map((l) => ({
        ...l,
        quarters: l.quarters.map((q) => ({ ...q, quarterLabel: quarterLabel(q.quarter) })),
      })),
      removed: { count: removed.length, items: removed },
      abnormal: { count: abnormal.length, items: abnormal },
      organizationalHandling,
      extensions,
      inspections: {
        waiting: waiting.length,
        items: waiting.map((w): WaitingInspection => ({ caseId: w.case_id, organizationName: w.organization_name, townshipName: townshipNames.get(w.township_id) ?? '', title: w.title, dueOn: w.due_on })),
      },
    };
  }
}
