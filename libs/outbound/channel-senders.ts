import { createHmac } from 'node:crypto';
import { DEADLINE_KIND_LABELS } from '../domain';
import type { ChannelKind, DeliveryNotice } from '../persistence';
import { DeliveryError, postJson, type HttpAnswer, type OutboundOptions } from './outbound-http';

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

/** One kind of outbound channel: renders a digest and sends it. */
export interface NoticeChannelSender {
  readonly kind: ChannelKind;
  /** How many of the leading notices fit into one message of this channel (at least 1). */
  fit(notices: DeliveryNotice[]): number;
  /** Sends through postJson, whose checks refuse addresses the server may not reach. */
  send(channel: ChannelTarget, digest: NoticeDigest, outbound: OutboundOptions): Promise<SendReceipt>;
}

/** Well-known refusals of the robots, by errcode (their errmsg is not kept: it is the peer's text). */
const ROBOT_ERRCODES: Record<string, string> = {
  '300001': 'access_token 无效或不存在',
  '300005': 'access_token 无效或不存在',
  '310000': '签名、关键词或 IP 校验未通过',
  '130101': '发送过快，已被限流',
  '93000': 'Webhook 地址无效',
  '45009': '接口调用超过限制',
  '40008': '消息类型无效',
};

function requireOk(answer: HttpAnswer, channelLabel: string): void {
  if (answer.status < 200 || answer.status >= 300) throw new DeliveryError(`${channelLabel}应答 HTTP ${answer.status}`, false);
}

/** DingTalk / WeCom robots answer 200 with `{ errcode, errmsg }`; errcode 0 is success. */
function requireErrcodeZero(answer: HttpAnswer, channelLabel: string): void {
  requireOk(answer, channelLabel);
  const body = answer.json as { errcode?: unknown } | undefined;
  if (!body || typeof body !== 'object' || body.errcode === undefined) throw new DeliveryError(`${channelLabel}应答格式不正确`, false);
  const code = String(body.errcode).slice(0, 12);
  if (Number(body.errcode) !== 0) {
    const known = ROBOT_ERRCODES[code];
    throw new DeliveryError(`${channelLabel}拒绝消息：errcode ${/^-?\d+$/.test(code) ? code : '?'}${known ? `（${known}）` : ''}`, false);
  }
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
  async send(channel, digest, outbound) {
    const { title, text } = renderDingTalk(digest.notices);
    const body = JSON.stringify({ msgtype: 'markdown', markdown: { title, text } });
    const answer = await postJson('dingtalk', signedDingTalkUrl(channel.url, channel.secret), body, {}, outbound);
    requireErrcodeZero(answer, '钉钉机器人');
    return { messageId: digest.batchId };
  },
};

/** WeCom group robot (企业微信群机器人). */
export const weComSender: NoticeChannelSender = {
  kind: 'wecom',
  fit: (notices) => fitBytes(notices, renderWeCom, WECOM_MAX_BYTES),
  async send(channel, digest, outbound) {
    const body = JSON.stringify({ msgtype: 'markdown', markdown: { content: renderWeCom(digest.notices) } });
    const answer = await postJson('wecom', channel.url, body, {}, outbound);
    requireErrcodeZero(answer, '企业微信机器人');
    return { messageId: digest.batchId };
  },
};

/** Generic webhook: POST { notices: [...] }, HMAC-signed when the channel has a secret, idempotency key = batch id. */
export const webhookSender: NoticeChannelSender = {
  kind: 'webhook',
  fit: (notices) => fitBytes(notices, (ns) => renderWebhookBody({ id: '', kind: 'webhook', name: '', url: '', secret: null }, { batchId: '', notices: ns }), WEBHOOK_MAX_BYTES),
  async send(channel, digest, outbound) {
    const body = renderWebhookBody(channel, digest);
    const headers: Record<string, string> = { 'Idempotency-Key': digest.batchId };
    if (channel.secret) headers['X-Rectification-Signature'] = webhookSignature(body, channel.secret);
    const answer = await postJson('webhook', channel.url, body, headers, outbound);
    requireOk(answer, 'Webhook ');
    const id = (answer.json as { id?: unknown; messageId?: unknown } | undefined) ?? {};
    const theirs = typeof id.messageId === 'string' ? id.messageId : typeof id.id === 'string' ? id.id : undefined;
    // The receiver's id is shown in the delivery record: only an id-like string, else our batch id.
    return { messageId: theirs !== undefined && /^[\w.:@/+=-]{1,200}$/.test(theirs) ? theirs : digest.batchId };
  },
};

export const DEFAULT_SENDERS: Record<ChannelKind, NoticeChannelSender> = {
  dingtalk: dingTalkSender,
  wecom: weComSender,
  webhook: webhookSender,
};
