import { HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ApiException, CommonErrorCode } from '../../common/api.exception';

/**
 * The `Idempotency-Key` header of a case action, carried to the service for the length of the
 * request. A client that lost an action's answer (a timeout, a 503) sends it again with the same key:
 * the workflow Update gets an id made of the case, the action, the user and the key, and Temporal
 * runs an Update id once, answering a repeat with the first outcome. The same key with another
 * request is refused (claimIdempotencyKey).
 */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,100}$/;

export const idempotencyKeys = new AsyncLocalStorage<string | undefined>();

export function idempotencyKeyMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const raw = req.headers[IDEMPOTENCY_KEY_HEADER];
  idempotencyKeys.run(Array.isArray(raw) ? raw.join(',') : raw, next);
}

/** How long a key stays bound to its request; after that the same key may be used afresh. */
export const IDEMPOTENCY_KEY_TTL_DAYS = 7;

/** JSON with object keys sorted, so the same request hashes alike whatever order its fields came in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Binds the user's key to what this request asks (case, action, input) the first time it is seen,
 * and refuses the key with 422 when it comes back with anything else: Temporal would answer a
 * repeated Update id with the first outcome, so the second request would be silently ignored.
 * One statement: two requests racing with the same key see one winner.
 */
export async function claimIdempotencyKey(db: Pick<EntityManager, 'query'>, userId: string, key: string, request: unknown): Promise<void> {
  const hash = createHash('sha256').update(canonicalJson(request)).digest('hex');
  const rows: { request_hash: string }[] = await db.query(
    `INSERT INTO idempotency_key (user_id, key, request_hash) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, key) DO UPDATE SET
       request_hash = CASE WHEN idempotency_key.created_at < now() - make_interval(days => $4) THEN EXCLUDED.request_hash ELSE idempotency_key.request_hash END,
       created_at = CASE WHEN idempotency_key.created_at < now() - make_interval(days => $4) THEN now() ELSE idempotency_key.created_at END
     RETURNING request_hash`,
    [userId, key, hash, IDEMPOTENCY_KEY_TTL_DAYS],
  );
  // Keys past their time are dropped as the same user sends new ones, so the table stays a week deep.
  await db.query(`DELETE FROM idempotency_key WHERE user_id = $1 AND created_at < now() - make_interval(days => $2)`, [userId, IDEMPOTENCY_KEY_TTL_DAYS]);
  if (rows[0]?.request_hash !== hash) {
    throw new ApiException(
      HttpStatus.UNPROCESSABLE_ENTITY,
      CommonErrorCode.IdempotencyKeyReused,
      '该幂等键（Idempotency-Key）已用于另一项请求：重发时请求内容须与第一次相同，新的请求请换一个新键',
      'This Idempotency-Key was used with another request: repeat the same request with it, or use a new key for a new request',
      { field: 'Idempotency-Key' },
    );
  }
}
