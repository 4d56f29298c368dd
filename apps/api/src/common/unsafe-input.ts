import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { ApiErrorBody, CommonErrorCode } from './api.exception';

/** The deepest nesting of objects and arrays a request may carry; the DTOs need three or four levels. */
export const MAX_INPUT_DEPTH = 32;

export type UnsafeInputProblem = 'depth' | 'nul' | 'surrogate' | 'reservedKey';

/** Keys that name JavaScript's object machinery, never a field: refused rather than silently dropped. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export const UNSAFE_INPUT_WORDING: Record<UnsafeInputProblem, { constraint: string; zh: string; en: string }> = {
  depth: { constraint: 'maxDepth', zh: `嵌套层级过深（最多${MAX_INPUT_DEPTH}层）`, en: `is nested more than ${MAX_INPUT_DEPTH} levels deep` },
  nul: { constraint: 'noNulCharacter', zh: '不能包含空字符（U+0000）', en: 'must not contain the NUL character (U+0000)' },
  surrogate: { constraint: 'wellFormedUnicode', zh: '包含无效的 Unicode 字符', en: 'must be well-formed Unicode (no lone surrogates)' },
  reservedKey: { constraint: 'whitelistValidation', zh: '是不允许的字段', en: 'is not an allowed field name' },
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(text: string): UnsafeInputProblem | undefined {
  if (text.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(text)) return 'surrogate';
  return undefined;
}

/**
 * What no request may carry, whatever its endpoint: nesting past MAX_INPUT_DEPTH (class-transformer
 * recurses once per level and would exhaust the stack), NUL characters (PostgreSQL text and jsonb
 * cannot hold them: a case would accept the value and its projection would then fail for ever) and
 * lone surrogates (not Unicode; jsonb refuses them), and the keys __proto__, constructor and
 * prototype (class-transformer drops them without a word; they are refused like any unknown field).
 * The walk is iterative, so the check itself
 * survives any depth. Returns the first offending field (dotted path; '' for the value itself).
 */
export function findUnsafeInput(value: unknown): { field: string; problem: UnsafeInputProblem } | undefined {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length > 0) {
    const [v, field, depth] = stack.pop() as [unknown, string, number];
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { field, problem };
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_INPUT_DEPTH) return { field, problem: 'depth' };
      for (const key of Object.keys(v)) {
        const path = field ? `${field}.${key}` : key;
        if (RESERVED_KEYS.has(key)) return { field: path, problem: 'reservedKey' };
        const problem = textProblem(key);
        if (problem) return { field: path, problem };
        stack.push([(v as Record<string, unknown>)[key], path, depth + 1]);
      }
    }
  }
  return undefined;
}

/**
 * Express middleware, before routing: a URL whose path or query carries a NUL character (%00)
 * answers 400 before any guard looks its ids up in PostgreSQL. (Percent-encoded lone surrogates are
 * invalid UTF-8, which no decoder turns into a string.)
 */
export function rejectUnsafeUrl(req: Request, res: Response, next: NextFunction): void {
  if (!/%00/i.test(req.url)) {
    next();
    return;
  }
  const wording = UNSAFE_INPUT_WORDING.nul;
  const body: ApiErrorBody = {
    statusCode: 400,
    code: CommonErrorCode.ValidationFailed,
    message: `请求地址有误：${wording.zh}`,
    messageEn: `Invalid request: the URL ${wording.en}`,
    details: { fields: [{ field: 'url', label: '请求地址（url）', problems: [wording] }] },
  };
  res.status(400).json(body);
}

const CLIENT_ERRORS: Record<string, [number, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'REQUEST_HEADER_TOO_LARGE', '请求地址或请求头过长', 'Request URL or headers too large'],
  HPE_URI_TOO_LONG: [414, 'URI_TOO_LONG', '请求地址过长', 'Request URL too long'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', '请求超时', 'Request timeout'],
};

/**
 * Requests Node's HTTP parser refuses before Express sees them (a URL or headers over 16 kB, a
 * malformed request line) get the API's error shape rather than an empty response.
 */
export function answerClientErrorsInErrorShape(server: Server): void {
  server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    if (!socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy(err);
      return;
    }
    const [status, code, message, messageEn] = CLIENT_ERRORS[err.code ?? ''] ?? [400, CommonErrorCode.ValidationFailed, '请求格式有误', 'Malformed HTTP request'];
    const body = JSON.stringify({ statusCode: status, code, message, messageEn } satisfies ApiErrorBody);
    const reason = { 408: 'Request Timeout', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' }[status] ?? 'Bad Request';
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
