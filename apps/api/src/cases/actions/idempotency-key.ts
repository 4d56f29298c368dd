import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

/**
 * The `Idempotency-Key` header of a case action, carried to the service for the length of the
 * request. A client that lost an action's answer (a timeout, a 503) sends it again with the same key:
 * the workflow Update gets an id made of the case, the action, the user and the key, and Temporal
 * runs an Update id once, answering a repeat with the first outcome.
 */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,100}$/;

export const idempotencyKeys = new AsyncLocalStorage<string | undefined>();

export function idempotencyKeyMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const raw = req.headers[IDEMPOTENCY_KEY_HEADER];
  idempotencyKeys.run(Array.isArray(raw) ? raw.join(',') : raw, next);
}
