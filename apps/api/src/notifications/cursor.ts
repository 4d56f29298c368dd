import { CURSOR_PATTERNS, instantToMicros, microsToInstant } from '../common/keyset-cursor';
import { NotificationException } from './notification.exception';

/**
 * Keyset cursor of the newest-first lists: the last row's instant (microseconds, as PostgreSQL keeps
 * it) and id, plus for the inbox whether it was unread, written as `common/keyset-cursor.ts` says.
 */
export interface TimeCursor {
  /** ISO instant with microseconds, e.g. 2026-03-01T08:00:00.123456Z. */
  t: string;
  id: string;
  unread?: boolean;
}

/** SQL of a timestamptz column as TimeCursor.t. */
export const cursorInstantSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function encodeCursor(c: TimeCursor): string {
  const key = `${instantToMicros(c.t)}~${c.id}`;
  return c.unread === undefined ? key : `${c.unread ? 1 : 0}~${key}`;
}

export function decodeCursor(raw: string): TimeCursor {
  if (CURSOR_PATTERNS.instantId.test(raw)) {
    const [micros, id] = raw.split('~');
    return { t: microsToInstant(micros), id };
  }
  if (CURSOR_PATTERNS.unreadInstantId.test(raw)) {
    const [unread, micros, id] = raw.split('~');
    return { t: microsToInstant(micros), id, unread: unread === '1' };
  }
  throw NotificationException.invalidCursor();
}
