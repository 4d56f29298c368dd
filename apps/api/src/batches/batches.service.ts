import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CASE_STAGES, isConverted, shanghaiDateOf, yearEndOf, type LocalDate } from '../../../../libs/domain';
import { EscalationEntity, RectificationCaseEntity, TaskEntity } from '../../../../libs/persistence';
import type { AuthUser } from '../auth/auth-user';
import { DashboardReadModel, type ResolvedScope } from '../dashboard/dashboard-read-model';
import { DashboardErrorCode, DashboardException } from '../dashboard/dashboard.exception';
import { ScopeService } from '../scope/scope.service';
import { ACTIVE_STAGES, batchView, type BatchView, type CaseCounts } from './batch-view';
import { BatchException } from './batch.exception';
import type { BatchQuery } from './dto/batch.query';

/** One batch year in the user's region. */
export interface BatchSummary {
  batchYear: number;
  /** Cases on the list (converted and active; cases taken off the list not counted). */
  cases: number;
  /** Accepted (验收销号), follow-up and closed included. */
  converted: number;
  /** Taken off the list (or in any stage outside the list). */
  removed: number;
  yearEnd: LocalDate;
}

export interface BatchList {
  /** The current year in Asia/Shanghai. */
  currentYear: number;
  /** Years that have cases in the user's region, newest first. */
  items: BatchSummary[];
}

const CONVERTED_STAGES: string[] = CASE_STAGES.filter((s) => isConverted({ stage: s }));
const ON_LIST_STAGES: string[] = [...ACTIVE_STAGES, ...CONVERTED_STAGES];

/** The batch view (整顿批次), answered from the read model: never per case, never from Temporal. */
@Injectable()
export class BatchesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModel: DashboardReadModel,
    private readonly scope: ScopeService,
  ) {}

  /** One query: the batch years of the cases in the user's region, with their counts. */
  async list(user: AuthUser, nowMs = Date.now()): Promise<BatchList> {
    const qb = this.dataSource
      .getRepository(RectificationCaseEntity)
      .createQueryBuilder('c')
      .select('c.batch_year', 'batch_year')
      .addSelect('count(*) FILTER (WHERE c.stage IN (:...onList))', 'cases')
      .addSelect('count(*) FILTER (WHERE c.stage IN (:...convertedStages))', 'converted')
      .addSelect('count(*) FILTER (WHERE c.stage NOT IN (:...onList))', 'removed')
      .setParameters({ onList: ON_LIST_STAGES, convertedStages: CONVERTED_STAGES });
    const rows = await this.scope
      .restrict(qb, user, 'c')
      .groupBy('c.batch_year')
      .orderBy('c.batch_year', 'DESC')
      .getRawMany<{ batch_year: number; cases: string; converted: string; removed: string }>();
    return {
      currentYear: Number(shanghaiDateOf(nowMs).slice(0, 4)),
      items: rows.map((r) => ({
        batchYear: Number(r.batch_year),
        cases: Number(r.cases),
        converted: Number(r.converted),
        removed: Number(r.removed),
        yearEnd: yearEndOf(Number(r.batch_year)),
      })),
    };
  }

  /** The batch's cases in the user's region (or one township of it): where each stands, and the year-end outlook. */
  async view(user: AuthUser, batchYear: number, query: BatchQuery, nowMs = Date.now()): Promise<BatchView> {
    const r = await this.resolve(user, batchYear, query);
    const today = shanghaiDateOf(nowMs);
    const [cases, counts] = await Promise.all([this.readModel.verdicts(r, today), this.counts(r, today)]);
    return batchView(r, cases, counts, nowMs);
  }

  async resolve(user: AuthUser, batchYear: number, query: BatchQuery): Promise<ResolvedScope> {
    try {
      return await this.readModel.resolve(user, { batchYear, ...(query.townshipId ? { townshipId: query.townshipId } : {}) });
    } catch (err) {
      if (err instanceof DashboardException && err.code === DashboardErrorCode.TownshipNotFound) throw BatchException.townshipNotFound(query.townshipId ?? '');
      throw err;
    }
  }

  /** Two aggregate queries: open and overdue tasks, and open escalations, per case of the batch in scope. */
  private async counts(r: ResolvedScope, today: LocalDate): Promise<Map<string, CaseCounts>> {
    const tasksQb = this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .innerJoin(RectificationCaseEntity, 'c', 'c.id = t.case_id')
      .select('t.case_id', 'case_id')
      .addSelect('count(*)', 'open')
      .addSelect('count(*) FILTER (WHERE t.due_on < :today)', 'overdue')
      .where(`t.status = 'open'`)
      .setParameter('today', today);
    const escalationsQb = this.dataSource
      .getRepository(EscalationEntity)
      .createQueryBuilder('e')
      .innerJoin(RectificationCaseEntity, 'c', 'c.id = e.case_id')
      .select('e.case_id', 'case_id')
      .addSelect('count(*)', 'open')
      .where('e.resolved_at IS NULL');
    const [tasks, escalations] = await Promise.all([
      this.readModel.restrictCases(tasksQb, r).groupBy('t.case_id').getRawMany<{ case_id: string; open: string; overdue: string }>(),
      this.readModel.restrictCases(escalationsQb, r).groupBy('e.case_id').getRawMany<{ case_id: string; open: string }>(),
    ]);
    const out = new Map<string, CaseCounts>();
    const entry = (id: string): CaseCounts => {
      let e = out.get(id);
      if (!e) out.set(id, (e = { openTasks: 0, overdueTasks: 0, openEscalations: 0 }));
      return e;
    };
    for (const t of tasks) Object.assign(entry(t.case_id), { openTasks: Number(t.open), overdueTasks: Number(t.overdue) });
    for (const e of escalations) entry(e.case_id).openEscalations = Number(e.open);
    return out;
  }
}
