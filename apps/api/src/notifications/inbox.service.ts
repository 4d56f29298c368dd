import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEADLINE_KIND_LABELS, NOTICE_RUNG_LABELS, type DeadlineKind, type NoticeRung } from '../../../../libs/domain';
import type { NotificationItem, NotificationPage } from '../../../../libs/http';
import type { AuthUser } from '../auth/auth-user';
import { cursorInstantSql, decodeCursor, encodeCursor, isUuid } from './cursor';
import type { ListNotificationsQuery } from './dto/list-notifications.query';
import { NotificationException } from './notification.exception';

export type { NotificationItem, NotificationPage };

interface Row {
  id: string;
  case_id: string;
  notice_key: string;
  deadline_key: string;
  kind: DeadlineKind;
  rung: NoticeRung;
  title: string;
  body: string;
  created_at: Date;
  read_at: Date | null;
  cursor_t: string;
}

const COLUMNS = `n.id, n.case_id, n.notice_key, n.deadline_key, n.kind, n.rung, n.title, n.body, n.created_at, n.read_at, ${cursorInstantSql('n.created_at')} AS cursor_t`;

function toItem(r: Row): NotificationItem {
  return {
    id: r.id,
    caseId: r.case_id,
    noticeKey: r.notice_key,
    deadlineKey: r.deadline_key,
    kind: r.kind,
    kindLabel: DEADLINE_KIND_LABELS[r.kind] ?? r.kind,
    rung: r.rung,
    rungLabel: NOTICE_RUNG_LABELS[r.rung] ?? r.rung,
    title: r.title,
    body: r.body,
    createdAt: new Date(r.created_at).toISOString(),
    readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
  };
}

/** The signed-in person's own inbox (站内通知): nobody else's, whatever their role. */
@Injectable()
export class InboxService {
  constructor(private readonly dataSource: DataSource) {}

  private async unreadCount(user: AuthUser): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM notification WHERE user_id = $1 AND read_at IS NULL`, [user.id]);
    return Number(row?.n ?? 0);
  }

  /** Unread first, newest first; keyset pages. */
  async list(user: AuthUser, query: ListNotificationsQuery): Promise<NotificationPage> {
    const limit = query.limit ?? 20;
    const params: unknown[] = [user.id];
    const where = ['n.user_id = $1'];
    if (query.unread === true) where.push('n.read_at IS NULL');
    if (query.unread === false) where.push('n.read_at IS NOT NULL');
    if (query.cursor) {
      const c = decodeCursor(query.cursor);
      if (c.unread === undefined) throw NotificationException.invalidCursor();
      params.push(c.unread, c.t, c.id);
      where.push(`(n.read_at IS NULL, n.created_at, n.id) < ($${params.length - 2}::boolean, $${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows: (Row & { unread: boolean })[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, n.read_at IS NULL AS unread FROM notification n WHERE ${where.join(' AND ')}
        ORDER BY n.read_at IS NULL DESC, n.created_at DESC, n.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toItem),
      nextCursor: rows.length > limit && last ? encodeCursor({ t: last.cursor_t, id: last.id, unread: last.unread }) : null,
      unreadCount: await this.unreadCount(user),
    };
  }

  /** Marks one of my notifications read (once: the first reading time stays). */
  async markRead(user: AuthUser, id: string): Promise<NotificationItem> {
    if (!isUuid(id)) throw NotificationException.notificationNotFound(id.slice(0, 100));
    const [row]: Row[] = await this.dataSource.query(
      `WITH upd AS (UPDATE notification SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2 RETURNING *)
       SELECT ${COLUMNS} FROM upd n`,
      [id, user.id],
    );
    if (!row) throw NotificationException.notificationNotFound(id);
    return toItem(row);
  }

  /** Marks all my unread notifications read. */
  async markAllRead(user: AuthUser): Promise<{ updated: number; unreadCount: number }> {
    const [row] = await this.dataSource.query(
      `WITH upd AS (UPDATE notification SET read_at = now() WHERE user_id = $1 AND read_at IS NULL RETURNING 1) SELECT count(*)::int AS n FROM upd`,
      [user.id],
    );
    return { updated: Number(row?.n ?? 0), unreadCount: await this.unreadCount(user) };
  }
}
