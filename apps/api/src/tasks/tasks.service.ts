import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import { STAGE_NEXT_STEPS, addDays, shanghaiDateOf, taskKindLabel, type CaseStage, type LocalDate, type RegionLevel, type TaskKind, type UserRole } from '../../../../libs/domain';
import type { BulkTaskResult, BulkTaskResultItem, TaskClaim, TaskItem, TaskPage, TaskTotals } from '../../../../libs/http';
import { AppUserEntity, RectificationCaseEntity, RegionEntity, TaskEntity, type TaskStatus, preparedQuery, QueryTexts } from '../../../../libs/persistence';
import { recordAudit } from '../audit/audit-writer';
import { actorOf, type AuthUser } from '../auth/auth-user';
import { ScopeService } from '../scope/scope.service';
import type { AssignTaskDto } from './dto/assign-task.dto';
import type { BulkTaskDto } from './dto/bulk-task.dto';
import { ApiException } from '../common/api.exception';
import { CURSOR_PATTERNS, dateToDays, daysToDate } from '../common/keyset-cursor';
import type { ApiErrorBody } from '../../../../libs/http';
import type { ListTasksQuery, TaskSort, TaskStatusFilter } from './dto/list-tasks.query';
import { TaskException } from './task.exception';

/** Open tasks due within this many days (today included, Asia/Shanghai) count as due soon. */
export const DUE_SOON_DAYS = 14;

export type { BulkTaskResult, TaskClaim, TaskItem, TaskPage, TaskTotals };

/** The most tasks one export or one bulk request covers: keeps a request bounded. */
export const TASK_EXPORT_MAX_ROWS = 10_000;

interface RawTaskRow {
  key: string;
  /** Null for a task of the county's batch (batch_year set). */
  case_id: string | null;
  batch_year: number | null;
  organization_name: string | null;
  township_id: string | null;
  township_name: string | null;
  case_stage: CaseStage | null;
  next_step: string | null;
  kind: TaskKind;
  title: string;
  assignee_role: UserRole | 'system';
  assignee_id: string | null;
  subject_id: string | null;
  region_id: string;
  region_name: string | null;
  region_level: RegionLevel | null;
  due_on: string | null;
  status: TaskStatus;
  opened_at: Date;
  closed_at: Date | null;
  claimed_by_id: string | null;
  claimed_by_name: string | null;
  claimed_at: Date | null;
  assigned_by_id: string | null;
}

interface Cursor {
  /** due_on of the last row, null when it had none; for the other sorts, the offset of the next page. */
  d: LocalDate | null;
  k: string;
  offset?: number;
}

interface Today {
  today: LocalDate;
  soon: LocalDate;
}

function encodeCursor(c: Cursor): string {
  return c.offset !== undefined ? `@${c.offset}` : `${c.d === null ? '-' : dateToDays(c.d)}~${c.k}`;
}

function decodeCursor(raw: string): Cursor {
  if (!CURSOR_PATTERNS.dueKeyOrOffset.test(raw)) throw TaskException.invalidCursor();
  if (raw.startsWith('@')) return { d: null, k: '', offset: Number(raw.slice(1)) };
  const [days, ...key] = raw.split('~');
  return { d: days === '-' ? null : daysToDate(days), k: key.join('~') };
}

/** SQL conditions of the status filters, over alias t with :today and :soon bound. */
const STATUS_SQL: Record<TaskStatusFilter, string> = {
  open: `t.status = 'open'`,
  due_soon: `t.status = 'open' AND t.due_on >= :today AND t.due_on <= :soon`,
  overdue: `t.status = 'open' AND t.due_on < :today`,
  done: `t.status = 'done'`,
};

@Injectable()
export class TasksService {
  constructor(
    @InjectRepository(TaskEntity) private readonly tasks: Repository<TaskEntity>,
    private readonly dataSource: DataSource,
    private readonly scope: ScopeService,
  ) {}

  private today(): Today {
    const today = shanghaiDateOf(Date.now());
    return { today, soon: addDays(today, DUE_SOON_DAYS) };
  }

  /**
   * Tasks of a view, joined to their case when they have one (organization name), in the user's region
   * (the task's county and township are its case's; a task of the county's batch has no township, so
   * only the county sees it), with the filters except status.
   */
  private viewQuery(user: AuthUser, query: ListTasksQuery, manager?: EntityManager): SelectQueryBuilder<TaskEntity> {
    const qb = (manager ? manager.getRepository(TaskEntity) : this.tasks)
      .createQueryBuilder('t')
      .leftJoin(RectificationCaseEntity, 'c', 'c.id = t.case_id');
    if ((query.view ?? 'mine') === 'mine') {
      qb.andWhere(
        new Brackets((w) => {
          w.where('t.claimed_by_id = :me')
            .orWhere('t.assignee_id = :meText')
            .orWhere('(t.assignee_id IS NULL AND t.assignee_role = :myRole AND t.region_id = :myRegion AND t.claimed_by_id IS NULL)');
        }),
        { me: user.id, meText: user.id, myRole: user.role, myRegion: user.regionId },
      );
    }
    // Also under "mine": someone moved to another region no longer sees what they claimed there.
    this.scope.restrictTasks(qb, user, 't');
    if (query.kind) qb.andWhere('t.kind = :kind', { kind: query.kind });
    if (query.caseId) qb.andWhere('t.case_id = :caseId', { caseId: query.caseId });
    if (query.dueBefore) qb.andWhere('t.due_on < :dueBefore', { dueBefore: query.dueBefore });
    if (query.townshipId) qb.andWhere('c.township_id = :townshipId', { townshipId: query.townshipId });
    if (query.q) {
      // Organization name contains the words (LIKE wildcards in them match themselves).
      const q = query.q.trim().replace(/[\\%_]/g, (ch) => `\\${ch}`);
      if (q) qb.andWhere(`c.organization_name ILIKE :q ESCAPE '\\'`, { q: `%${q}%` });
    }
    return qb;
  }

  /** Selects the columns of a TaskItem (region by its primary key). */
  private selectItem(qb: SelectQueryBuilder<TaskEntity>): SelectQueryBuilder<TaskEntity> {
    return qb
      .leftJoin(RegionEntity, 'r', 'r.id = t.region_id')
      .leftJoin(RegionEntity, 'tw', 'tw.id = c.township_id')
      .select([
        't.key AS key',
        't.case_id AS case_id',
        't.batch_year AS batch_year',
        'c.organization_name AS organization_name',
        'c.township_id AS township_id',
        'tw.name AS township_name',
        'c.stage AS case_stage',
        // The case's next step: its open task due soonest.
        `(SELECT n.title FROM task n WHERE n.case_id = t.case_id AND n.status = 'open' ORDER BY n.due_on ASC NULLS LAST, n.key ASC LIMIT 1) AS next_step`,
        't.kind AS kind',
        't.title AS title',
        't.assignee_role AS assignee_role',
        't.assignee_id AS assignee_id',
        't.subject_id AS subject_id',
        't.region_id AS region_id',
        'r.name AS region_name',
        'r.level AS region_level',
        `to_char(t.due_on, 'YYYY-MM-DD') AS due_on`,
        't.status AS status',
        't.opened_at AS opened_at',
        't.closed_at AS closed_at',
        't.claimed_by_id AS claimed_by_id',
        't.claimed_by_name AS claimed_by_name',
        't.claimed_at AS claimed_at',
        't.assigned_by_id AS assigned_by_id',
      ]);
  }

  private toItem(row: RawTaskRow, { today, soon }: Today): TaskItem {
    const open = row.status === 'open' && row.due_on !== null;
    const dueState = open && row.due_on! < today ? 'overdue' : open && row.due_on! <= soon ? 'due_soon' : null;
    return {
      key: row.key,
      caseId: row.case_id,
      batchYear: row.batch_year,
      // A task of the county's batch names its batch where others name their organization.
      organizationName: row.organization_name ?? (row.batch_year !== null ? `${row.batch_year}年度整顿批次` : ''),
      townshipId: row.township_id,
      townshipName: row.township_name ?? '',
      kind: row.kind,
      kindLabel: taskKindLabel(row.kind),
      title: row.title,
      assigneeRole: row.assignee_role,
      assigneeId: row.assignee_id,
      subjectId: row.subject_id,
      region: { id: row.region_id, name: row.region_name, level: row.region_level },
      dueOn: row.due_on,
      status: row.status,
      dueState,
      openedAt: new Date(row.opened_at).toISOString(),
      closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
      claim: row.claimed_by_id
        ? {
            userId: row.claimed_by_id,
            name: row.claimed_by_name,
            claimedAt: row.claimed_at ? new Date(row.claimed_at).toISOString() : null,
            assignedById: row.assigned_by_id,
          }
        : null,
      caseNextStep: row.next_step ?? (row.case_stage ? STAGE_NEXT_STEPS[row.case_stage] : undefined) ?? '',
    };
  }

  async list(user: AuthUser, query: ListTasksQuery): Promise<TaskPage> {
    const now = this.today();
    const limit = query.limit ?? 20;
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;

    const totalsQb = this.viewQuery(user, query)
      .select(`count(*) FILTER (WHERE ${STATUS_SQL.open})`, 'open')
      .addSelect(`count(*) FILTER (WHERE ${STATUS_SQL.due_soon})`, 'due_soon')
      .addSelect(`count(*) FILTER (WHERE ${STATUS_SQL.overdue})`, 'overdue')
      .addSelect(`count(*) FILTER (WHERE ${STATUS_SQL.done})`, 'done')
      .setParameters(now);

    const sort = query.sort ?? 'due';
    const itemsQb = this.sorted(this.selectItem(this.viewQuery(user, query)), sort);
    if (query.status) itemsQb.andWhere(STATUS_SQL[query.status], now);
    // The soonest-due order pages by keyset; other orders by offset (a keyset over names would need their
    // collation). Either cursor means the same in any order — skip that many, or keep the tasks after that
    // (due, key) — so every cursor the document allows names a page.
    if (cursor?.offset !== undefined) itemsQb.offset(cursor.offset);
    else if (cursor) {
      if (cursor.d === null) itemsQb.andWhere('t.due_on IS NULL AND t.key > :ck', { ck: cursor.k });
      else itemsQb.andWhere('(t.due_on > :cd OR (t.due_on = :cd AND t.key > :ck) OR t.due_on IS NULL)', { cd: cursor.d, ck: cursor.k });
    }
    itemsQb.limit(limit + 1);

    // The list is what a township opens most: both statements go as named prepared statements (planned once
    // per connection), their texts differing only by the view's shape — not an offset's pages, whose
    // numbers are in the text.
    const [rows, [totals]] = await Promise.all([
      cursor?.offset !== undefined ? itemsQb.getRawMany<RawTaskRow>() : this.prepared<RawTaskRow>(itemsQb, this.itemTexts),
      this.prepared<{ open: string; due_soon: string; overdue: string; done: string }>(totalsQb, this.totalTexts),
    ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => this.toItem(r, now)),
      nextCursor:
        rows.length > limit && last
          ? sort === 'due'
            ? encodeCursor({ d: last.due_on, k: last.key })
            : encodeCursor({ d: null, k: '', offset: (cursor?.offset ?? 0) + limit })
          : null,
      totals: {
        open: Number(totals?.open ?? 0),
        dueSoon: Number(totals?.due_soon ?? 0),
        overdue: Number(totals?.overdue ?? 0),
        done: Number(totals?.done ?? 0),
      },
    };
  }

  /** The list's two statements, their texts made once per shape of the view and its filters. */
  private readonly itemTexts = new QueryTexts();
  private readonly totalTexts = new QueryTexts();

  private prepared<R>(qb: SelectQueryBuilder<TaskEntity>, texts: QueryTexts): Promise<R[]> {
    const [sql, params] = texts.queryAndParameters(qb);
    return preparedQuery<R>(this.dataSource, sql, params);
  }

  /** The order of a list: soonest due first (default), latest due first, or by organization name. */
  private sorted(qb: SelectQueryBuilder<TaskEntity>, sort: TaskSort): SelectQueryBuilder<TaskEntity> {
    if (sort === '-due') return qb.orderBy('t.due_on', 'DESC', 'NULLS LAST').addOrderBy('t.key', 'ASC');
    if (sort === 'organization') return qb.orderBy('c.organization_name', 'ASC').addOrderBy('t.due_on', 'ASC', 'NULLS LAST').addOrderBy('t.key', 'ASC');
    return qb.orderBy('t.due_on', 'ASC', 'NULLS LAST').addOrderBy('t.key', 'ASC');
  }

  /** Every task of the list's view and filters, in its order (capped): "export what is shown". */
  async all(user: AuthUser, query: ListTasksQuery): Promise<TaskItem[]> {
    const now = this.today();
    const qb = this.sorted(this.selectItem(this.viewQuery(user, query)), query.sort ?? 'due');
    if (query.status) qb.andWhere(STATUS_SQL[query.status], now);
    const rows = await qb.limit(TASK_EXPORT_MAX_ROWS).getRawMany<RawTaskRow>();
    return rows.map((r) => this.toItem(r, now));
  }

  /**
   * POST /tasks/bulk — claim or assign several tasks, each on its own as the single action would
   * (its own transaction and audit entry): a key that fails leaves that task untouched and says why.
   */
  async bulk(user: AuthUser, dto: BulkTaskDto): Promise<BulkTaskResult> {
    if (dto.action === 'assign' && !dto.userId) throw TaskException.bulkAssigneeRequired();
    const results: BulkTaskResultItem[] = [];
    for (const key of [...new Set(dto.keys)]) {
      try {
        const task = dto.action === 'claim' ? await this.claim(user, key) : await this.assign(user, key, { userId: dto.userId! });
        results.push({ key, ok: true, task });
      } catch (err) {
        if (!(err instanceof ApiException)) throw err;
        results.push({ key, ok: false, error: err.getResponse() as ApiErrorBody });
      }
    }
    const done = results.filter((r) => r.ok).length;
    return { action: dto.action, done, failed: results.length - done, results };
  }

  /** One task as the list shows it, if the user may see it (region view). */
  private async item(user: AuthUser, key: string, manager?: EntityManager): Promise<TaskItem> {
    const qb = this.selectItem(this.viewQuery(user, { view: 'region' }, manager)).andWhere('t.key = :key', { key });
    const row = await qb.getRawOne<RawTaskRow>();
    if (!row) throw TaskException.notFound(key);
    return this.toItem(row, this.today());
  }

  /**
   * The task row, locked for this transaction, with the path of its region; 404 when it does not
   * exist or lies outside the user's scope (the scope of its case, or the county of a batch's task).
   */
  private async lockInScope(manager: EntityManager, user: AuthUser, key: string): Promise<{ task: TaskEntity; regionPath: string }> {
    if (key.length > 200) throw TaskException.notFound(key.slice(0, 200));
    const qb = manager
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where('t.key = :key', { key })
      .setLock('pessimistic_write', undefined, ['t']);
    const task = await this.scope.restrictTasks(qb, user, 't').getOne();
    if (!task) throw TaskException.notFound(key);
    const region = await manager.getRepository(RegionEntity).findOneBy({ id: task.regionId });
    return { task, regionPath: region?.path ?? '' };
  }

  /**
   * Who may hand the task to someone: the county organization department of its county, or the
   * township party secretary of the township its region lies in (the township or one of its villages).
   */
  private mayAssign(user: AuthUser, task: TaskEntity, regionPath: string): boolean {
    if (user.role === 'county_org_admin') return user.regionLevel === 'county' && task.countyId === user.countyId;
    if (user.role === 'township_party_secretary') return !!user.townshipId && regionPath.includes(`/${user.townshipId}/`);
    return false;
  }

  /** POST /tasks/:key/claim — a holder of the task's role in its region takes it on. */
  async claim(user: AuthUser, key: string): Promise<TaskItem> {
    return this.dataSource.transaction(async (m) => {
      const { task } = await this.lockInScope(m, user, key);
      if (task.assigneeRole !== user.role) throw TaskException.roleMismatch(key, task.assigneeRole, user.role);
      if (task.regionId !== user.regionId) throw TaskException.outsideRegion(key);
      if (task.assigneeId && task.assigneeId !== user.id) throw TaskException.addressedToOther(key);
      if (task.status !== 'open') throw TaskException.notOpen(key, task.kind);
      if (task.claimedById && task.claimedById !== user.id) throw TaskException.alreadyClaimed(key, { id: task.claimedById, name: task.claimedByName });
      if (task.claimedById !== user.id) {
        await m.query(`UPDATE task SET claimed_by_id = $2, claimed_by_name = $3, claimed_at = now(), assigned_by_id = NULL WHERE key = $1`, [key, user.id, user.name]);
        await recordAudit(m, {
          caseId: task.caseId,
          actor: actorOf(user),
          action: 'task.claimed',
          payload: { taskKey: key, taskKind: task.kind, userId: user.id },
        });
      }
      return this.item(user, key, m);
    });
  }

  /** POST /tasks/:key/release — the claimer, or someone who may assign it, gives the task back to its role. */
  async release(user: AuthUser, key: string): Promise<TaskItem> {
    return this.dataSource.transaction(async (m) => {
      const { task, regionPath } = await this.lockInScope(m, user, key);
      const isClaimer = !!task.claimedById && task.claimedById === user.id;
      if (!isClaimer && !this.mayAssign(user, task, regionPath)) throw TaskException.releaseForbidden(key);
      if (task.status !== 'open') throw TaskException.notOpen(key, task.kind);
      if (!task.claimedById) throw TaskException.notClaimed(key);
      await m.query(`UPDATE task SET claimed_by_id = NULL, claimed_by_name = NULL, claimed_at = NULL, assigned_by_id = NULL WHERE key = $1`, [key]);
      await recordAudit(m, {
        caseId: task.caseId,
        actor: actorOf(user),
        action: 'task.released',
        payload: { taskKey: key, taskKind: task.kind, userId: task.claimedById, releasedById: user.id, assignedById: task.assignedById },
      });
      return this.item(user, key, m);
    });
  }

  /** POST /tasks/:key/assign — a superior hands the task to an active holder of its role in its region. */
  async assign(user: AuthUser, key: string, dto: AssignTaskDto): Promise<TaskItem> {
    return this.dataSource.transaction(async (m) => {
      const { task, regionPath } = await this.lockInScope(m, user, key);
      if (!this.mayAssign(user, task, regionPath)) throw TaskException.assignForbidden(key);
      if (task.status !== 'open') throw TaskException.notOpen(key, task.kind);

      const target = await m.getRepository(AppUserEntity).findOneBy({ id: dto.userId });
      const targetRegion = target ? await m.getRepository(RegionEntity).findOneBy({ id: target.regionId }) : null;
      // A user outside the assigner's own subtree is, for them, one that does not exist.
      const scopePrefix = user.regionLevel === 'county' ? `/${user.countyId}/` : `/${user.countyId}/${user.townshipId}/`;
      if (!target || !targetRegion || !targetRegion.path.startsWith(scopePrefix)) throw TaskException.assigneeNotFound(dto.userId);
      if (!target.active) throw TaskException.assigneeInactive(target.id, target.displayName);
      if (target.role !== task.assigneeRole) throw TaskException.assigneeRoleMismatch(target.id, target.displayName, task.assigneeRole, target.role);
      if (target.regionId !== task.regionId) throw TaskException.assigneeRegionMismatch(target.id, target.displayName);
      if (task.assigneeId && task.assigneeId !== target.id) throw TaskException.assigneeNotAddressee(key, target.id);

      if (task.claimedById !== target.id || task.assignedById !== user.id) {
        await m.query(`UPDATE task SET claimed_by_id = $2, claimed_by_name = $3, claimed_at = now(), assigned_by_id = $4 WHERE key = $1`, [
          key,
          target.id,
          target.displayName,
          user.id,
        ]);
        await recordAudit(m, {
          caseId: task.caseId,
          actor: actorOf(user),
          action: 'task.assigned',
          payload: { taskKey: key, taskKind: task.kind, userId: target.id, userName: target.displayName, assignedById: user.id, previousClaimedById: task.claimedById },
        });
      }
      return this.item(user, key, m);
    });
  }
}
