import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { checkOutboundUrl, FORBIDDEN_TARGET_REASON, type AllowedOrigin, type OutboundKind } from './outbound-url';

/** How long one HTTP call may take (well inside the activity's start-to-close timeout). */
export const SEND_TIMEOUT_MS = 10_000;

/** Of an answer we read at most this much: enough for a robot's `{ errcode, errmsg }` or a webhook's id. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** Where sends may go beyond the public https internet (OUTBOUND_ALLOW of the worker's config). */
export interface OutboundOptions {
  allow: readonly AllowedOrigin[];
}

/**
 * A send that did not succeed, with a short reason fit to show (never the peer's answer).
 * `maybeDelivered` is false when the channel certainly did not take the message (it answered an
 * error, or no connection was made) — safe to send again; true when the request may have reached it
 * (timed out or cut off after it went out) — never sent again (see sendNextDigest). `permanent`: no
 * retry can help (the address is not allowed), so the deliveries fail at once.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly maybeDelivered: boolean,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface HttpAnswer {
  status: number;
  /** The parsed JSON answer, if it was JSON (the raw text is never kept). */
  json: unknown;
}

/**
 * Checks the resolved address of every connection (DNS rebinding cannot slip past a check made
 * earlier): anything but public unicast is refused. Shared, without keep-alive, so each send's
 * "connected" is its own.
 */
const filteringAgent = new RequestFilteringHttpsAgent({ keepAlive: false });
/** For origins the operator allowed (local receivers of tests and demos). */
const allowedHttpAgent = new HttpAgent({ keepAlive: false });
const allowedHttpsAgent = new HttpsAgent({ keepAlive: false });

/** Failures before the request went out, by Node error code: certainly not delivered. */
const CONNECT_REASONS: Record<string, string> = {
  ECONNREFUSED: '连接被拒绝',
  ENOTFOUND: '域名无法解析',
  EAI_AGAIN: '域名暂时无法解析',
  EHOSTUNREACH: '主机不可达',
  ENETUNREACH: '网络不可达',
  EADDRNOTAVAIL: '地址不可用',
  ETIMEDOUT: '连接超时',
  ECONNRESET: '连接被重置',
  DEPTH_ZERO_SELF_SIGNED_CERT: '证书校验失败',
  SELF_SIGNED_CERT_IN_CHAIN: '证书校验失败',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: '证书校验失败',
  CERT_HAS_EXPIRED: '证书已过期',
  ERR_TLS_CERT_ALTNAME_INVALID: '证书与域名不符',
};

/** request-filtering-agent's refusal (it has no error code): "DNS lookup <ip>(…) is not allowed. …". */
export function isRefusedAddressError(err: unknown): boolean {
  return err instanceof Error && /^DNS lookup .* is not allowed/.test(err.message);
}

/** A Node error code as shown to people: only the code's own characters, never a message. */
const codeOf = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : undefined;
};

/**
 * POSTs JSON to a channel. The URL is checked again here (https, the robot's official host, no
 * internal IP literal) and the connection through request-filtering-agent, unless the origin is one
 * OUTBOUND_ALLOW names. Failures become DeliveryErrors with short reasons.
 */
export function postJson(kind: OutboundKind, rawUrl: string, body: string, headers: Record<string, string>, outbound: OutboundOptions): Promise<HttpAnswer> {
  const checked = checkOutboundUrl(rawUrl, kind, outbound.allow);
  if (!checked.ok) {
    return Promise.reject(
      new DeliveryError(checked.refusal.reason === 'invalid_url' ? '渠道地址无效' : `${FORBIDDEN_TARGET_REASON}（${checked.refusal.message}）`, false, true),
    );
  }
  const { url, allowedByConfig } = checked;
  const secure = url.protocol === 'https:';
  const agent = !allowedByConfig ? filteringAgent : secure ? allowedHttpsAgent : allowedHttpAgent;
  const send = secure ? httpsRequest : httpRequest;

  return new Promise<HttpAnswer>((resolve, reject) => {
    let connected = false;
    let settled = false;
    const fail = (err: DeliveryError) => {
      if (settled) return;
      settled = true;
      reject(err);
    };
    const req = send(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body, 'utf8'), ...headers },
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size >= MAX_ANSWER_BYTES) return;
          chunks.push(chunk);
          size += chunk.length;
          // Enough read: the status decides, the rest of a long answer is of no use.
          if (size >= MAX_ANSWER_BYTES) res.destroy();
        });
        const finish = () => {
          if (settled) return;
          settled = true;
          const text = Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json });
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', () => {
          // The channel answered a status but the body was cut off: the status decides.
          if ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300 && size < MAX_ANSWER_BYTES) {
            fail(new DeliveryError('读取渠道应答时中断，消息可能已送达也可能未送达', true));
          } else finish();
        });
      },
    );
    req.on('socket', (socket) => {
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        connected = true;
      });
    });
    req.on('error', (err: Error) => {
      if (isRefusedAddressError(err)) return fail(new DeliveryError(FORBIDDEN_TARGET_REASON, false, true));
      const code = codeOf(err) ?? codeOf((err as { cause?: unknown }).cause);
      const timedOut = err.name === 'AbortError' || err.name === 'TimeoutError';
      if (!connected) {
        const reason = timedOut ? '连接超时' : code ? (CONNECT_REASONS[code] ?? `无法连接（${code}）`) : '无法连接';
        return fail(new DeliveryError(`无法连接渠道：${reason}`, false));
      }
      const what = timedOut ? `${SEND_TIMEOUT_MS / 1000} 秒内未收到应答` : `连接中断${code ? `（${code}）` : ''}`;
      fail(new DeliveryError(`发送过程中${what}，消息可能已送达也可能未送达`, true));
    });
    req.end(body);
  });
}
