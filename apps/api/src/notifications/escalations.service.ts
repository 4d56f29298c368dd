import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { DEADLINE_KIND_LABELS, ESCALATION_STATUS_LABELS, NOTICE_RUNG_LABELS, type DeadlineKind, type EscalationRung } from '../../../../libs/domain';
import type { EscalationItem, EscalationPage } from '../../../../libs/http';
import { EscalationEntity, RegionEntity, type EscalationRecipients, type EscalationStatus } from '../../../../libs/persistence';
import { recordAudit } from '../audit/audit-writer';
import { actorOf, type AuthUser } from '../auth/auth-user';
import { ScopeService } from '../scope/scope.service';
import { cursorInstantSql, decodeCursor, encodeCursor, isUuid } from './cursor';
import type { AcknowledgeEscalationDto } from './dto/acknowledge-escalation.dto';
import type { ListEscalationsQuery } from './dto/list-escalations.query';
import { NotificationException } from './notification.exception';

export type { EscalationItem, EscalationPage };

interface Row {
  id: string;
  key: string;
  case_id: string;
  organization_name: string;
  township_id: string;
  township_name: string | null;
  deadline_key: string;
  kind: DeadlineKind;
  rung: EscalationRung;
  title: string;
  reason: string;
  deadline: string;
  days_overdue: number;
  recipients: EscalationRecipients;
  raised_at: Date;
  acknowledged_by_id: string | null;
  acknowledged_by_name: string | null;
  acknowledged_at: Date | null;
  acknowledgement_note: string | null;
  resolved_at: Date | null;
  resolution_note: string | null;
  cursor_t: string;
}

/** The most rows an export holds (a county's ledger is far smaller); keeps one request bounded. */
export const EXPORT_MAX_ROWS = 10_000;

/** SQL conditions of the status filter over alias e. */
const STATUS_SQL: Record<EscalationStatus, string> = {
  open: 'e.resolved_at IS NULL AND e.acknowledged_at IS NULL',
  acknowledged: 'e.resolved_at IS NULL AND e.acknowledged_at IS NOT NULL',
  resolved: 'e.resolved_at IS NOT NULL',
};

function statusOf(r: Pick<Row, 'resolved_at' | 'acknowledged_at'>): EscalationStatus {
  return r.resolved_at ? 'resolved' : r.acknowledged_at ? 'acknowledged' : 'open';
}

function toItem(r: Row): EscalationItem {
  const status = statusOf(r);
  const acknowledgedAt = r.acknowledged_at ? new Date(r.acknowledged_at).toISOString() : null;
  return {
    id: r.id,
    key: r.key,
    caseId: r.case_id,
    organizationName: r.organization_name,
    townshipId: r.township_id,
    townshipName: r.township_name ?? '',
    deadlineKey: r.deadline_key,
    kind: r.kind,
    kindLabel: DEADLINE_KIND_LABELS[r.kind] ?? r.kind,
    rung: r.rung,
    rungLabel: NOTICE_RUNG_LABELS[r.rung] ?? r.rung,
    title: r.title,
    reason: r.reason,
    deadline: r.deadline,
    daysOverdue: Number(r.days_overdue),
    recipients: r.recipients?.recipients ?? [],
    recipientUserIds: r.recipients?.userIds ?? [],
    raisedAt: new Date(r.raised_at).toISOString(),
    status,
    statusLabel: ESCALATION_STATUS_LABELS[status],
    acknowledgement: acknowledgedAt ? { userId: r.acknowledged_by_id, name: r.acknowledged_by_name, at: acknowledgedAt, note: r.acknowledgement_note } : null,
    acknowledgedBy: acknowledgedAt ? r.acknowledged_by_name : null,
    acknowledgedAt,
    note: acknowledgedAt ? r.acknowledgement_note : null,
    resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
    resolutionNote: r.resolution_note ?? null,
  };
}

/**
 * Is the user someone the escalation is addressed to? The named person of a recipient, a holder of a
 * recipient's role bound to its region, or one of the users it resolved to when raised.
 */
export function isRecipient(user: AuthUser, recipients: EscalationRecipients): boolean {
  if ((recipients.userIds ?? []).includes(user.id)) return true;
  return (recipients.recipients ?? []).some((r) => (r.userId ? r.userId === user.id : r.role === user.role && r.regionId === user.regionId));
}

/** The escalation ledger (督办、通报、约谈), scoped to the user's region like tasks. */
@Injectable()
export class EscalationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scope: ScopeService,
  ) {}

  private scoped(user: AuthUser, manager?: EntityManager): SelectQueryBuilder<EscalationEntity> {
    const qb = (manager ?? this.dataSource.manager).getRepository(EscalationEntity).createQueryBuilder('e');
    return this.scope.restrictTasks(qb, user, 'e');
  }

  private selectItem(qb: SelectQueryBuilder<EscalationEntity>): SelectQueryBuilder<EscalationEntity> {
    return qb.leftJoin(RegionEntity, 'tw', 'tw.id = e.township_id').select([
      'e.id AS id',
      'e.key AS key',
      'e.case_id AS case_id',
      'e.organization_name AS organization_name',
      'e.township_id AS township_id',
      'tw.name AS township_name',
      'e.deadline_key AS deadline_key',
      'e.kind AS kind',
      'e.rung AS rung',
      'e.title AS title',
      'e.reason AS reason',
      `to_char(e.deadline, 'YYYY-MM-DD') AS deadline`,
      'e.days_overdue AS days_overdue',
      'e.recipients AS recipients',
      'e.raised_at AS raised_at',
      'e.acknowledged_by_id AS acknowledged_by_id',
      'e.acknowledged_by_name AS acknowledged_by_name',
      'e.acknowledged_at AS acknowledged_at',
      'e.acknowledgement_note AS acknowledgement_note',
      'e.resolved_at AS resolved_at',
      'e.resolution_note AS resolution_note',
      `${cursorInstantSql('e.raised_at')} AS cursor_t`,
    ]);
  }

  private filtered(user: AuthUser, query: ListEscalationsQuery): SelectQueryBuilder<EscalationEntity> {
    const qb = this.scoped(user);
    if (query.rung) qb.andWhere('e.rung = :rung', { rung: query.rung });
    if (query.kind) qb.andWhere('e.kind = :kind', { kind: query.kind });
    if (query.caseId) qb.andWhere('e.case_id = :caseId', { caseId: query.caseId });
    if (query.townshipId) qb.andWhere('e.township_id = :townshipId', { townshipId: query.townshipId });
    return qb;
  }

  /** Every escalation of the filters (status included), newest first: the 督办台账 exported as shown. Capped. */
  async all(user: AuthUser, query: ListEscalationsQuery, max = EXPORT_MAX_ROWS): Promise<EscalationItem[]> {
    const qb = this.selectItem(this.filtered(user, query));
    if (query.status) qb.andWhere(STATUS_SQL[query.status]);
    const rows = await qb.orderBy('e.raised_at', 'DESC').addOrderBy('e.id', 'DESC').limit(max).getRawMany<Row>();
    return rows.map(toItem);
  }

  /** Newest raised first, keyset pages, totals per status. */
  async list(user: AuthUser, query: ListEscalationsQuery): Promise<EscalationPage> {
    const limit = query.limit ?? 20;
    const itemsQb = this.selectItem(this.filtered(user, query));
    if (query.status) itemsQb.andWhere(STATUS_SQL[query.status]);
    if (query.cursor) {
      const c = decodeCursor(query.cursor);
      itemsQb.andWhere('(e.raised_at, e.id) < (CAST(:ct AS timestamptz), CAST(:cid AS uuid))', { ct: c.t, cid: c.id });
    }
    itemsQb.orderBy('e.raised_at', 'DESC').addOrderBy('e.id', 'DESC').limit(limit + 1);
    const totalsQb = this.filtered(user, query)
      .select(`count(*) FILTER (WHERE ${STATUS_SQL.open})`, 'open')
      .addSelect(`count(*) FILTER (WHERE ${STATUS_SQL.acknowledged})`, 'acknowledged')
      .addSelect(`count(*) FILTER (WHERE ${STATUS_SQL.resolved})`, 'resolved');
    const [rows, totals] = await Promise.all([
      itemsQb.getRawMany<Row>(),
      totalsQb.getRawOne<{ open: string; acknowledged: string; resolved: string }>(),
    ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toItem),
      nextCursor: rows.length > limit && last ? encodeCursor({ t: last.cursor_t, id: last.id }) : null,
      totals: { open: Number(totals?.open ?? 0), acknowledged: Number(totals?.acknowledged ?? 0), resolved: Number(totals?.resolved ?? 0) },
    };
  }

  private async item(user: AuthUser, id: string, manager?: EntityManager): Promise<EscalationItem> {
    const row = await this.selectItem(this.scoped(user, manager)).andWhere('e.id = :id', { id }).getRawOne<Row>();
    if (!row) throw NotificationException.escalationNotFound(id);
    return toItem(row);
  }

  /**
   * POST /escalations/:id/acknowledge — a recipient in scope signs for the escalation (签收), once;
   * audited. Acknowledging again by the same person answers the same record.
   */
  async acknowledge(user: AuthUser, id: string, dto: AcknowledgeEscalationDto): Promise<EscalationItem> {
    if (!isUuid(id)) throw NotificationException.escalationNotFound(id.slice(0, 100));
    return this.dataSource.transaction(async (m) => {
      const row = await this.scoped(user, m).andWhere('e.id = :id', { id }).setLock('pessimistic_write', undefined, ['e']).getOne();
      if (!row) throw NotificationException.escalationNotFound(id);
      if (!isRecipient(user, row.recipients)) throw NotificationException.notRecipient(id, row.rung);
      if (row.acknowledgedAt) {
        if (row.acknowledgedById === user.id) return this.item(user, id, m);
        throw NotificationException.alreadyAcknowledged(id, { id: row.acknowledgedById, name: row.acknowledgedByName, at: row.acknowledgedAt });
      }
      if (row.resolvedAt) throw NotificationException.resolved(id);
      const note = dto.note?.trim() || null;
      await m.query(
        `UPDATE escalation SET acknowledged_by_id = $2, acknowledged_by_name = $3, acknowledged_at = now(), acknowledgement_note = $4 WHERE id = $1`,
        [id, user.id, user.name, note],
      );
      await recordAudit(m, {
        key: `escalation.acknowledged:${id}`,
        caseId: row.caseId,
        actor: actorOf(user),
        action: 'escalation.acknowledged',
        payload: { escalationId: id, escalationKey: row.key, rung: row.rung, deadlineKey: row.deadlineKey, note },
      });
      return this.item(user, id, m);
    });
  }
}
