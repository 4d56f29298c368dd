import { NotificationException } from './notification.exception';

/**
 * Keyset cursor of the newest-first lists: the last row's instant (microseconds, as PostgreSQL keeps
 * it) and id, plus for the inbox whether it was unread. Opaque to clients (base64url JSON).
 */
export interface TimeCursor {
  /** ISO instant with microseconds, e.g. 2026-03-01T08:00:00.123456Z. */
  t: string;
  id: string;
  unread?: boolean;
}

/** SQL of a timestamptz column as TimeCursor.t. */
export const cursorInstantSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function encodeCursor(c: TimeCursor): string {
  return Buffer.from(JSON.stringify(c.unread === undefined ? [c.t, c.id] : [c.t, c.id, c.unread]), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string): TimeCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && (value.length === 2 || value.length === 3)) {
      const [t, id, unread] = value as unknown[];
      if (typeof t === 'string' && INSTANT.test(t) && typeof id === 'string' && UUID.test(id)) {
        if (value.length === 2) return { t, id };
        if (typeof unread === 'boolean') return { t, id, unread };
      }
    }
  } catch {
    // fall through
  }
  throw NotificationException.invalidCursor();
}
