import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CASE_STAGES,
  caseTracks,
  dueSoonWindow,
  emptyOutlookCounts,
  expectedByYearEnd,
  isConverted,
  isOnList,
  ORGANIZATIONAL_HANDLING_MEASURES,
  outlookOf,
  overdueMeasures,
  quarterLabel,
  undecided,
  visitCompliance,
  yearEndOf,
  type CaseStage,
  type EscalationRung,
  type OrganizationalHandlingMeasure,
} from '../../../../libs/domain';
import type { AbnormalCase, DashboardOverview, MatrixRow, RemovedCase, TownshipOverview } from '../../../../libs/http';
import { listAbnormalCaseRuns } from '../../../../libs/temporal';
import { TemporalClientService } from '../temporal/temporal.module';
import { EscalationEntity, RectificationCaseEntity, TaskEntity } from '../../../../libs/persistence';
import type { AuthUser } from '../auth/auth-user';
import { DashboardReadModel, type ResolvedScope } from './dashboard-read-model';
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

  /**
   * 异常: cases of the batch whose workflow run ended abnormally (terminated, failed, timed out) while
   * the case had not; the county organization department restarts them (POST /api/cases/:id/restart).
   * Temporal's visibility lists them; unreachable, the list is empty rather than the dashboard down.
   */
  private async abnormalCases(cases: { id: string; organizationName: string; townshipId: string; state: { countyId: string; stage: CaseStage } }[], townshipNames: Map<string, string>): Promise<AbnormalCase[]> {
    const runs = new Map<string, string>();
    try {
      for (const countyId of new Set(cases.map((c) => c.state.countyId))) for (const [id, status] of await listAbnormalCaseRuns(this.temporal.client, countyId)) runs.set(id, status);
    } catch {
      return [];
    }
    return cases
      .filter((c) => runs.has(c.id) && c.state.stage !== 'closed' && c.state.stage !== 'removed')
      .map((c) => ({ caseId: c.id, organizationName: c.organizationName, townshipId: c.townshipId, townshipName: townshipNames.get(c.townshipId) ?? '', stage: c.state.stage, executionStatus: runs.get(c.id)! }));
  }

  /** One query: open tasks past due, per township of the batch's cases in scope. */
  private async overdueTasksByTownship(r: ResolvedScope, today: string): Promise<Map<string, number>> {
    const qb = this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .innerJoin(RectificationCaseEntity, 'c', 'c.id = t.case_id')
      .select('c.township_id', 'township_id')
      .addSelect('count(*)', 'n')
      .where(`t.status = 'open'`)
      .andWhere('t.due_on < :today', { today });
    const rows = await this.readModel.restrictCases(qb, r).groupBy('c.township_id').getRawMany<{ township_id: string; n: string }>();
    return new Map(rows.map((row) => [row.township_id, Number(row.n)]));
  }

  /** One query: escalations not yet resolved, per township and rung, of the batch's cases in scope. */
  private async openEscalations(r: ResolvedScope): Promise<{ township_id: string; rung: EscalationRung; n: string }[]> {
    const qb = this.dataSource
      .getRepository(EscalationEntity)
      .createQueryBuilder('e')
      .innerJoin(RectificationCaseEntity, 'c', 'c.id = e.case_id')
      .select('c.township_id', 'township_id')
      .addSelect('e.rung', 'rung')
      .addSelect('count(*)', 'n')
      .where('e.resolved_at IS NULL');
    return this.readModel.restrictCases(qb, r).groupBy('c.township_id').addGroupBy('e.rung').getRawMany();
  }

  async overview(user: AuthUser, query: DashboardQuery, nowMs = Date.now()): Promise<DashboardOverview> {
    const r = await this.readModel.resolve(user, query);
    const { today } = dueSoonWindow(nowMs);
    const [cases, overdueTasks, escalations] = await Promise.all([this.readModel.cases(r), this.overdueTasksByTownship(r, today), this.openEscalations(r)]);

    const stages = Object.fromEntries(CASE_STAGES.map((s) => [s, 0])) as Record<CaseStage, number>;
    const overdue = { tasks: 0, secretary: 0, yearEnd: 0, measures: 0 };
    const openByRung = Object.fromEntries(ESCALATION_RUNGS.map((g) => [g, 0])) as Record<EscalationRung, number>;
    const escalationsByTownship = new Map<string, number>();
    for (const e of escalations) {
      const n = Number(e.n);
      if (e.rung in openByRung) openByRung[e.rung] += n;
      escalationsByTownship.set(e.township_id, (escalationsByTownship.get(e.township_id) ?? 0) + n);
    }
    for (const n of overdueTasks.values()) overdue.tasks += n;

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

    const townshipNames = new Map(r.townships.map((t) => [t.id, t.name]));
    const abnormal = await this.abnormalCases(cases, townshipNames);
    const removed: RemovedCase[] = [];
    const onList = cases.filter((c) => {
      const s = c.state;
      stages[s.stage] = (stages[s.stage] ?? 0) + 1;
      if (isOnList(s)) return true;
      removed.push({
        caseId: c.id,
        organizationName: c.organizationName,
        townshipId: c.townshipId,
        townshipName: townshipNames.get(c.townshipId) ?? '',
        batchYear: s.batchYear,
        reason: s.removal?.reason ?? '',
        removedBy: s.removal?.by ?? null,
        removedAt: s.removal?.at ?? null,
        fromStage: s.removal?.fromStage ?? null,
      });
      return false;
    });
    removed.sort((a, b) => (b.removedAt ?? '').localeCompare(a.removedAt ?? '') || a.caseId.localeCompare(b.caseId));

    const counts = emptyOutlookCounts();
    for (const c of onList) {
      const s = c.state;
      const tracks = caseTracks(s, nowMs);
      // The one year-end outlook (libs/domain/outlook.ts): the batch view and the exports give the same.
      const { outlook, yearEndMissed } = outlookOf(s, nowMs, tracks);
      counts[outlook] += 1;
      if (tracks.secretary === 'overdue') overdue.secretary += 1;
      if (yearEndMissed) overdue.yearEnd += 1;
      overdue.measures += overdueMeasures(s, nowMs).length;
      const t = row(c.townshipId, c.townshipId);
      t.cases += 1;
      if (isConverted(s)) t.converted += 1;
      t.matrix.push({ caseId: c.id, organizationName: c.organizationName, stage: s.stage, tracks, outlook });
    }

    // 组织处理: asked of the county by the ladder, decided and recorded by people (DOMAIN.md).
    const organizationalHandling = {
      awaitingDecision: 0,
      decided: 0,
      byMeasure: Object.fromEntries(ORGANIZATIONAL_HANDLING_MEASURES.map((m) => [m, 0])) as Record<OrganizationalHandlingMeasure, number>,
    };
    for (const c of cases) {
      const h = c.state.organizationalHandling;
      if (!h) continue;
      organizationalHandling.awaitingDecision += undecided(c.state).length;
      organizationalHandling.decided += h.decisions.length;
      for (const d of h.decisions) organizationalHandling.byMeasure[d.measure] += 1;
    }

    const states = onList.map((c) => c.state);
    const yearEnd = yearEndOf(r.batchYear);
    const expected = expectedByYearEnd(counts);
    return {
      batchYear: r.batchYear,
      scope: r.scope,
      total: onList.length,
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
      visitCompliance: visitCompliance(states, r.batchYear, nowMs).map((l) => ({
        ...l,
        quarters: l.quarters.map((q) => ({ ...q, quarterLabel: quarterLabel(q.quarter) })),
      })),
      removed: { count: removed.length, items: removed },
      abnormal: { count: abnormal.length, items: abnormal },
      organizationalHandling,
    };
  }
}
