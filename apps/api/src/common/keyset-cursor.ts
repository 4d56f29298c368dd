/**
 * The cursors of the paged lists, as plain text whose every spelling the OpenAPI pattern allows names a
 * page: the document says exactly which cursors are taken, and a well-formed one is never refused (a
 * keyset past the end is an empty page). Parts are joined by `~`:
 * - an instant as microseconds since 1970 (PostgreSQL keeps microseconds; 16 digits reach year 2286),
 * - a row's uuid or serial id, a task's key,
 * - a date as days since 1970-01-01, `-` for none,
 * - `@n`: an offset, for orders that page by offset.
 */
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const MICROS = '(?:0|[1-9][0-9]{0,15})';
const SERIAL = '(?:0|[1-9][0-9]{0,17})';
const DAYS = '(?:0|[1-9][0-9]{0,5})';
/** Task keys: `case-<year>-<organization uuid>:<kind>[:<subject id>]`. */
const TASK_KEY = '[A-Za-z0-9:_-]{1,200}';

export const CURSOR_PATTERNS = {
  /** (created at, uuid): escalations, deliveries. */
  instantId: new RegExp(`^${MICROS}~${UUID}$`),
  /** (unread first, created at, uuid): the inbox. */
  unreadInstantId: new RegExp(`^[01]~${MICROS}~${UUID}$`),
  /** (occurred at, serial id): the audit trail. */
  instantSerial: new RegExp(`^${MICROS}~${SERIAL}$`),
  /** (due date or none, key) or an offset: tasks. */
  dueKeyOrOffset: new RegExp(`^(?:@${DAYS}|(?:-|${DAYS})~${TASK_KEY})$`),
} as const;

/** An ISO instant with microseconds (`to_char(… 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`) as microseconds since 1970. */
export function instantToMicros(iso: string): string {
  const ms = Date.parse(`${iso.slice(0, 23)}Z`);
  return (BigInt(ms) * 1000n + BigInt(iso.slice(23, 26))).toString();
}

/** Microseconds since 1970 as an ISO instant with microseconds, as PostgreSQL reads it. */
export function microsToInstant(micros: string): string {
  const us = BigInt(micros);
  const iso = new Date(Number(us / 1000n)).toISOString();
  return `${iso.slice(0, 23)}${String(us % 1000n).padStart(3, '0')}Z`;
}

const DAY_MS = 86_400_000;

export function dateToDays(date: string): string {
  return String(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export function daysToDate(days: string): string {
  return new Date(Number(days) * DAY_MS).toISOString().slice(0, 10);
}
