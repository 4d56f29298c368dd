import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedRequest {
  /** Which route: /dingtalk/<name>, /wecom/<name> or /webhook/<name>. */
  kind: 'dingtalk' | 'wecom' | 'webhook' | 'other';
  /** The path segment after the kind (tells channels apart). */
  name: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  body: unknown;
  /** Local time the request was fully read (ms). */
  receivedAt: number;
  /** What the receiver answered. */
  status: number;
  /** Why a request was refused (bad signature, stale timestamp, injected failure), if it was. */
  rejected?: string;
}

export interface WebhookReceiver {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  requests: ReceivedRequest[];
  /** The requests it accepted (answered 2xx, errcode 0), of a kind and optionally a name. */
  accepted(kind?: ReceivedRequest['kind'], name?: string): ReceivedRequest[];
  /** Secrets the receiver checks signatures with, by route name. */
  setSecret(name: string, secret: string | null): void;
  /** Answer the next `count` requests to `name` (or to any route) with HTTP 500. */
  failNext(count: number, name?: string): void;
  /** Answer every request to `name` with HTTP 500 until told otherwise. */
  failAlways(name: string, on?: boolean): void;
  /** Hold the response to requests to `name` for `ms` (to provoke client timeouts). */
  delay(name: string, ms: number): void;
  close(): Promise<void>;
}

/** Stale DingTalk timestamps are refused, as DingTalk does (it allows one hour). */
const MAX_TIMESTAMP_SKEW_MS = 60 * 60 * 1000;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** DingTalk's check: recompute base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)) and compare; refuse stale timestamps. */
export function verifyDingTalk(query: Record<string, string>, secret: string, now = Date.now()): string | undefined {
  const timestamp = query.timestamp;
  const sign = query.sign;
  if (!timestamp || !sign) return 'missing timestamp or sign';
  const ts = Number(timestamp);
  if (!Number.isFinite(ts) || Math.abs(now - ts) > MAX_TIMESTAMP_SKEW_MS) return 'stale timestamp';
  const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
  // `sign` arrives URL-decoded by the query parser.
  return safeEqual(expected, sign) ? undefined : 'bad signature';
}

/** The generic webhook's check: X-Rectification-Signature = sha256=<hex HMAC of the raw body>. */
export function verifyWebhook(rawBody: string, header: string | undefined, secret: string): string | undefined {
  if (!header) return 'missing signature';
  const expected = `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
  return safeEqual(expected, header) ? undefined : 'bad signature';
}

/**
 * A local HTTP server on 127.0.0.1 (random port) standing in for DingTalk robots, WeCom robots and a
 * generic webhook receiver: records every request, checks signatures the way the real services do,
 * and can be told to fail.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const secrets = new Map<string, string>();
  const failAlways = new Set<string>();
  const delays = new Map<string, number>();
  const failures: { name?: string; left: number }[] = [];

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const rawBody = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const [, first = '', name = ''] = url.pathname.split('/');
      const kind: ReceivedRequest['kind'] = first === 'dingtalk' || first === 'wecom' || first === 'webhook' ? first : 'other';
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const record: ReceivedRequest = {
        kind,
        name,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        rawBody,
        body,
        receivedAt: Date.now(),
        status: 200,
      };
      requests.push(record);

      const hold = delays.get(name);
      if (hold) await new Promise((r) => setTimeout(r, hold));

      const injected = failures.find((f) => f.left > 0 && (f.name === undefined || f.name === name));
      if (injected || failAlways.has(name)) {
        if (injected) injected.left--;
        record.status = 500;
        record.rejected = 'injected failure';
        answer(res, 500, { error: 'injected failure' });
        return;
      }
      const secret = secrets.get(name);
      if (kind === 'dingtalk') {
        const problem = secret ? verifyDingTalk(record.query, secret) : undefined;
        if (problem) {
          record.rejected = problem;
          // DingTalk answers 200 with an error code for signature problems.
          answer(res, 200, { errcode: 310000, errmsg: `sign not match: ${problem}` });
          return;
        }
        answer(res, 200, { errcode: 0, errmsg: 'ok' });
      } else if (kind === 'wecom') {
        const ok = (body as { msgtype?: string } | undefined)?.msgtype === 'markdown';
        if (!ok) record.rejected = 'invalid message';
        answer(res, 200, ok ? { errcode: 0, errmsg: 'ok' } : { errcode: 40008, errmsg: 'invalid message type' });
      } else if (kind === 'webhook') {
        const header = req.headers['x-rectification-signature'];
        const problem = secret ? verifyWebhook(rawBody, typeof header === 'string' ? header : undefined, secret) : undefined;
        if (problem) {
          record.status = 401;
          record.rejected = problem;
          answer(res, 401, { error: problem });
          return;
        }
        answer(res, 200, { id: `msg-${requests.length}` });
      } else {
        record.status = 404;
        answer(res, 404, { error: 'not found' });
      }
    })().catch((err) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    accepted(kind, name) {
      return requests.filter((r) => r.status >= 200 && r.status < 300 && !r.rejected && (!kind || r.kind === kind) && (!name || r.name === name));
    },
    setSecret(name, secret) {
      if (secret) secrets.set(name, secret);
      else secrets.delete(name);
    },
    failNext(count, name) {
      failures.push({ name, left: count });
    },
    failAlways(name, on = true) {
      if (on) failAlways.add(name);
      else failAlways.delete(name);
    },
    delay(name, ms) {
      if (ms > 0) delays.set(name, ms);
      else delays.delete(name);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
