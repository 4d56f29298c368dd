import { createHmac } from 'node:crypto';
import { DEADLINE_KIND_LABELS } from '../../libs/domain';
import type { ChannelKind, DeliveryNotice } from '../../libs/persistence';

/** What a sender needs of a channel row. */
export interface ChannelTarget {
  id: string;
  kind: ChannelKind;
  name: string;
  url: string;
  secret: string | null;
}

/** One outbound message: one or more notices (a digest), under one batch id. */
export interface NoticeDigest {
  /** Unique per digest and kept across retries of it: the webhook's Idempotency-Key. */
  batchId: string;
  notices: DeliveryNotice[];
}

export interface SendReceipt {
  /** The channel's id of the message where it answers one, else the batch id. */
  messageId: string;
}

/**
 * A send that did not succeed. `maybeDelivered` is false when the channel certainly did not take the
 * message (it answered an error, or no connection was made) — safe to send again; true when the request
 * may have reached it (timed out or cut off after it went out) — never sent again (see sendNextDigest).
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly maybeDelivered: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** One kind of outbound channel: renders a digest and sends it. */
export interface NoticeChannelSender {
  readonly kind: ChannelKind;
  /** How many of the leading notices fit into one message of this channel (at least 1). */
  fit(notices: DeliveryNotice[]): number;
  send(channel: ChannelTarget, digest: NoticeDigest): Promise<SendReceipt>;
}

/** How long one HTTP call may take (well inside the activity's start-to-close timeout). */
export const SEND_TIMEOUT_MS = 10_000;

/** Connection errors that mean the request never left: the message certainly did not arrive. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

interface HttpAnswer {
  status: number;
  text: string;
  json: unknown;
}

/** POSTs JSON; classifies failures into "certainly not delivered" and "may have been delivered". */
async function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code ?? (err as { code?: string }).code;
    if (err instanceof TypeError && !cause && /Invalid URL|Failed to parse URL/i.test(err.message)) {
      throw new DeliveryError(`渠道地址无效：${err.message}`, false);
    }
    if (code && NOT_SENT_CODES.has(code)) throw new DeliveryError(`无法连接渠道（${code}）：${cause?.message ?? (err as Error).message}`, false);
    const what = (err as Error).name === 'TimeoutError' ? `${SEND_TIMEOUT_MS / 1000} 秒内未收到应答` : `连接中断（${code ?? (err as Error).message}）`;
    throw new DeliveryError(`发送过程中${what}，消息可能已送达也可能未送达`, true);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    // The channel answered a status but the body was cut off: the status decides.
    text = '';
    if (res.ok) throw new DeliveryError(`读取渠道应答时中断（${(err as Error).message}），消息可能已送达也可能未送达`, true);
  }
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

function requireOk(answer: HttpAnswer, channelLabel: string): void {
  if (answer.status < 200 || answer.status >= 300) {
    throw new DeliveryError(`${channelLabel}应答 HTTP ${answer.status}：${answer.text.slice(0, 300)}`, false);
  }
}

/** DingTalk / WeCom robots answer 200 with `{ errcode, errmsg }`; errcode 0 is success. */
function requireErrcodeZero(answer: HttpAnswer, channelLabel: string): void {
  requireOk(answer, channelLabel);
  const body = answer.json as { errcode?: unknown; errmsg?: unknown } | undefined;
  if (!body || typeof body !== 'object' || body.errcode === undefined) {
    throw new DeliveryError(`${channelLabel}应答格式不正确：${answer.text.slice(0, 300)}`, false);
  }
  if (Number(body.errcode) !== 0) throw new DeliveryError(`${channelLabel}拒绝消息：errcode ${String(body.errcode)}，${String(body.errmsg ?? '')}`, false);
}

// ---- Rendering (messages in Chinese) ----

const truncate = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function noticeHeadline(n: DeliveryNotice): string {
  return `【${n.rungLabel}】${n.organizationName}：${n.title}`;
}

function noticeLines(n: DeliveryNotice): string[] {
  const lines = [n.reason, `事项类别：${DEADLINE_KIND_LABELS[n.kind] ?? n.kind}；截止日期：${n.dueOn}`];
  if (n.recipientNames.length > 0) lines.push(`接收人：${n.recipientNames.join('、')}`);
  return lines;
}

function digestTitle(notices: DeliveryNotice[]): string {
  if (notices.length === 1) return truncate(noticeHeadline(notices[0]), 60);
  const counts = new Map<string, number>();
  for (const n of notices) counts.set(n.rungLabel, (counts.get(n.rungLabel) ?? 0) + 1);
  const parts = [...counts].map(([label, count]) => `${label}${count}条`).join('、');
  return `整顿工作提醒汇总：${parts}`;
}

/** Markdown for DingTalk (title + text). */
export function renderDingTalk(notices: DeliveryNotice[]): { title: string; text: string } {
  const title = digestTitle(notices);
  const blocks = notices.map((n, i) => {
    const head = notices.length > 1 ? `#### ${i + 1}. ${noticeHeadline(n)}` : `#### ${noticeHeadline(n)}`;
    return [head, ...noticeLines(n).map((l) => `> ${l}`)].join('\n\n');
  });
  const header = notices.length > 1 ? `### 软弱涣散基层党组织整顿：提醒督办汇总（共${notices.length}条）\n\n` : '';
  return { title, text: `${header}${blocks.join('\n\n---\n\n')}\n\n###### 请登录整顿工作平台查看详情并办理。` };
}

const WECOM_COLOR: Record<string, string> = { 提醒: 'info', 督办: 'warning', 通报: 'warning', 约谈: 'warning' };

/** Markdown for WeCom (content). */
export function renderWeCom(notices: DeliveryNotice[]): string {
  const header = notices.length > 1 ? `**软弱涣散基层党组织整顿：提醒督办汇总（共${notices.length}条）**\n` : '';
  const blocks = notices.map((n, i) => {
    const num = notices.length > 1 ? `${i + 1}. ` : '';
    const head = `${num}<font color="${WECOM_COLOR[n.rungLabel] ?? 'comment'}">【${n.rungLabel}】</font>**${n.organizationName}**：${n.title}`;
    return [head, ...noticeLines(n).map((l) => `> ${l}`)].join('\n');
  });
  return `${header}${blocks.join('\n\n')}\n<font color="comment">请登录整顿工作平台查看详情并办理。</font>`;
}

/** The generic webhook's JSON body. */
export function renderWebhookBody(channel: ChannelTarget, digest: NoticeDigest): string {
  return JSON.stringify({
    channelId: channel.id,
    batchId: digest.batchId,
    notices: digest.notices.map((n) => ({
      key: n.key,
      caseId: n.caseId,
      organizationName: n.organizationName,
      townshipId: n.townshipId,
      countyId: n.countyId,
      deadlineKey: n.deadlineKey,
      kind: n.kind,
      kindLabel: DEADLINE_KIND_LABELS[n.kind] ?? n.kind,
      rung: n.rung,
      rungLabel: n.rungLabel,
      title: n.title,
      reason: n.reason,
      dueOn: n.dueOn,
      offsetDays: n.offsetDays,
      recipientNames: n.recipientNames,
      text: [noticeHeadline(n), ...noticeLines(n)].join('\n'),
    })),
  });
}

/** How many leading notices render within `maxBytes` (UTF-8), at least one. */
function fitBytes(notices: DeliveryNotice[], render: (ns: DeliveryNotice[]) => string, maxBytes: number): number {
  let n = notices.length;
  while (n > 1 && Buffer.byteLength(render(notices.slice(0, n)), 'utf8') > maxBytes) n--;
  return Math.max(1, Math.min(n, notices.length));
}

// ---- Signing ----

/** DingTalk's signature: HMAC-SHA256 over "<timestamp ms>\n<secret>" keyed by the secret, base64, URL-encoded. */
export function dingTalkSign(timestampMs: number, secret: string): string {
  const digest = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
  return encodeURIComponent(digest);
}

/** The robot URL with `&timestamp=…&sign=…` appended (signed robots only). */
export function signedDingTalkUrl(url: string, secret: string | null, nowMs = Date.now()): string {
  if (!secret) return url;
  return `${url}${url.includes('?') ? '&' : '?'}timestamp=${nowMs}&sign=${dingTalkSign(nowMs, secret)}`;
}

/** The generic webhook's signature header value: "sha256=<hex HMAC-SHA256 of the body>". */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

// ---- The three senders ----

/** DingTalk markdown text: the robot accepts up to 20,000 bytes; keep a margin. */
const DINGTALK_MAX_BYTES = 18_000;
/** WeCom markdown content: at most 4,096 bytes. */
const WECOM_MAX_BYTES = 4_000;
/** Generic webhook: a generous bound on one request. */
const WEBHOOK_MAX_BYTES = 256 * 1024;

/** DingTalk custom robot (自定义机器人), signed when the channel has a secret. */
export const dingTalkSender: NoticeChannelSender = {
  kind: 'dingtalk',
  fit: (notices) => fitBytes(notices, (ns) => JSON.stringify(renderDingTalk(ns)), DINGTALK_MAX_BYTES),
  async send(channel, digest) {
    const { title, text } = renderDingTalk(digest.notices);
    const answer = await postJson(signedDingTalkUrl(channel.url, channel.secret), JSON.stringify({ msgtype: 'markdown', markdown: { title, text } }));
    requireErrcodeZero(answer, '钉钉机器人');
    return { messageId: digest.batchId };
  },
};

/** WeCom group robot (企业微信群机器人). */
export const weComSender: NoticeChannelSender = {
  kind: 'wecom',
  fit: (notices) => fitBytes(notices, renderWeCom, WECOM_MAX_BYTES),
  async send(channel, digest) {
    const answer = await postJson(channel.url, JSON.stringify({ msgtype: 'markdown', markdown: { content: renderWeCom(digest.notices) } }));
    requireErrcodeZero(answer, '企业微信机器人');
    return { messageId: digest.batchId };
  },
};

/** Generic webhook: POST { notices: [...] }, HMAC-signed when the channel has a secret, idempotency key = batch id. */
export const webhookSender: NoticeChannelSender = {
  kind: 'webhook',
  fit: (notices) => fitBytes(notices, (ns) => renderWebhookBody({ id: '', kind: 'webhook', name: '', url: '', secret: null }, { batchId: '', notices: ns }), WEBHOOK_MAX_BYTES),
  async send(channel, digest) {
    const body = renderWebhookBody(channel, digest);
    const headers: Record<string, string> = { 'Idempotency-Key': digest.batchId };
    if (channel.secret) headers['X-Rectification-Signature'] = webhookSignature(body, channel.secret);
    const answer = await postJson(channel.url, body, headers);
    requireOk(answer, 'Webhook ');
    const id = (answer.json as { id?: unknown; messageId?: unknown } | undefined) ?? {};
    const messageId = typeof id.messageId === 'string' ? id.messageId : typeof id.id === 'string' ? id.id : digest.batchId;
    return { messageId: truncate(messageId, 200) };
  },
};

export const DEFAULT_SENDERS: Record<ChannelKind, NoticeChannelSender> = {
  dingtalk: dingTalkSender,
  wecom: weComSender,
  webhook: webhookSender,
};
