import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CASE_STAGES,
  caseOutlook,
  caseTracks,
  dueSoonWindow,
  forecast as forecastOf,
  isConverted,
  isOnList,
  overdueMeasures,
  visitCompliance,
  type Actor,
  type CaseStage,
  type CaseTracks,
  type EscalationRung,
  type Forecast,
  type LeaderVisitCompliance,
} from '../../../../libs/domain';
import { EscalationEntity, RectificationCaseEntity, TaskEntity } from '../../../../libs/persistence';
import type { AuthUser } from '../auth/auth-user';
import { DashboardReadModel, type DashboardScope, type ResolvedScope } from './dashboard-read-model';
import type { DashboardQuery } from './dto/dashboard.query';

export const ESCALATION_RUNGS: readonly EscalationRung[] = ['supervision', 'public_notice', 'interview'];

export interface MatrixRow {
  caseId: string;
  organizationName: string;
  stage: CaseStage;
  tracks: CaseTracks;
}

export interface TownshipOverview {
  townshipId: string;
  name: string;
  cases: number;
  converted: number;
  /** Escalations of the township's cases not yet resolved (acknowledged ones included). */
  openEscalations: number;
  /** Open tasks of the township's cases past their due date. */
  overdueTasks: number;
  matrix: MatrixRow[];
}

/** A case the county organization department took off the list (移出整顿名单), with its written reason. */
export interface RemovedCase {
  caseId: string;
  organizationName: string;
  townshipId: string;
  townshipName: string;
  batchYear: number;
  reason: string;
  removedBy: Actor | null;
  /** ISO 8601 instant. */
  removedAt: string | null;
  /** The stage the case was in when it was taken off. */
  fromStage: CaseStage | null;
}

export interface DashboardOverview {
  batchYear: number;
  scope: DashboardScope;
  /** Cases on the list (removed ones are counted in `removed`, not here). */
  total: number;
  /** Every case of the batch in scope by stage, `removed` included. */
  stages: Record<CaseStage, number>;
  converted: number;
  forecast: Forecast;
  /** tasks: open tasks past due; secretary / yearEnd: cases; measures: plan measures past due. */
  overdue: { tasks: number; secretary: number; yearEnd: number; measures: number };
  openEscalations: Record<EscalationRung, number>;
  townships: TownshipOverview[];
  visitCompliance: LeaderVisitCompliance[];
  /** 移出整顿名单 (no hiding): every case taken off the list, newest first, with who, when and why. */
  removed: { count: number; items: RemovedCase[] };
}

/** The county dashboard (县级看板), answered from the read model: never per case, never from Temporal. */
@Injectable()
export class DashboardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModel: DashboardReadModel,
  ) {}

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

    for (const c of onList) {
      const s = c.state;
      const tracks = caseTracks(s, nowMs);
      if (tracks.secretary === 'overdue') overdue.secretary += 1;
      if (caseOutlook(s, nowMs, tracks) === 'overdue') overdue.yearEnd += 1;
      overdue.measures += overdueMeasures(s, nowMs).length;
      const t = row(c.townshipId, c.townshipId);
      t.cases += 1;
      if (isConverted(s)) t.converted += 1;
      t.matrix.push({ caseId: c.id, organizationName: c.organizationName, stage: s.stage, tracks });
    }

    const states = onList.map((c) => c.state);
    const forecast = forecastOf(states, r.batchYear, nowMs);
    return {
      batchYear: r.batchYear,
      scope: r.scope,
      total: onList.length,
      stages,
      converted: forecast.converted,
      forecast,
      overdue,
      openEscalations: openByRung,
      townships: [...townships.values()],
      visitCompliance: visitCompliance(states, r.batchYear, nowMs),
      removed: { count: removed.length, items: removed },
    };
  }
}
