import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where the server may send requests on behalf of a user (notification channels): the rules shared by
 * the API (when a channel is saved) and the worker (when it sends). No Nest, no TypeORM.
 *
 * - https only;
 * - DingTalk and WeCom robots only on their official hosts;
 * - never to an address inside the network: loopback, private, unique-local, link-local (cloud
 *   metadata at 169.254.169.254), CGNAT (100.100.100.200 of some clouds), multicast, unspecified,
 *   reserved, IPv4 embedded in IPv6 — anything ipaddr.js does not call "unicast", which is also the
 *   rule of request-filtering-agent, the connect-time check of the sender.
 * - except the origins the operator names in OUTBOUND_ALLOW (local receivers of tests and demos;
 *   refused in production by the config).
 */

export type OutboundKind = 'dingtalk' | 'wecom' | 'webhook';

/** The robots' official hosts: the only place their webhooks may point. */
export const OFFICIAL_HOSTS: Readonly<Record<Exclude<OutboundKind, 'webhook'>, string>> = {
  dingtalk: 'oapi.dingtalk.com',
  wecom: 'qyapi.weixin.qq.com',
};

/** One origin of OUTBOUND_ALLOW: scheme, host and port ("*" for any port). */
export interface AllowedOrigin {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: string;
}

export type OutboundRefusalReason = 'invalid_url' | 'not_https' | 'not_official_host' | 'forbidden_address' | 'credentials';

/** Why a URL may not be used; `message` in Chinese for people, `messageEn` for logs. */
export interface OutboundRefusal {
  reason: OutboundRefusalReason;
  message: string;
  messageEn: string;
}

/** The short reason deliveries record when the address is refused (at save or at connect time). */
export const FORBIDDEN_TARGET_REASON = '目标地址不允许';

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * Parses OUTBOUND_ALLOW: comma-separated origins such as `http://127.0.0.1:*` or
 * `https://receiver.test:8443`. Answers the origins, or a problem in English for the config error.
 */
export function parseOutboundAllow(value: string): AllowedOrigin[] | string {
  const origins: AllowedOrigin[] = [];
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const m = /^(https?):\/\/([^/?#@]+?)(?::(\d{1,5}|\*))?\/?$/i.exec(part);
    if (!m) return `"${part}" is not an origin such as http://127.0.0.1:* or https://host:8443`;
    let url: URL;
    try {
      url = new URL(`${m[1]}://${m[2]}`);
    } catch {
      return `"${part}" is not an origin such as http://127.0.0.1:* or https://host:8443`;
    }
    const protocol = url.protocol as AllowedOrigin['protocol'];
    origins.push({ protocol, hostname: url.hostname, port: m[3] === '*' ? '*' : (m[3] ?? DEFAULT_PORT[protocol]) });
  }
  return origins;
}

/** Whether the (parsed) URL's origin is one the operator allowed. */
export function isAllowedOrigin(url: URL, allow: readonly AllowedOrigin[]): boolean {
  const port = url.port || DEFAULT_PORT[url.protocol];
  return allow.some((o) => o.protocol === url.protocol && o.hostname === url.hostname && (o.port === '*' || o.port === port));
}

/**
 * Classifies one IP address: undefined when it is a public unicast address, else the name of its
 * range (loopback, private, linkLocal, carrierGradeNat, multicast, unspecified, reserved, …).
 * IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it carries.
 */
export function forbiddenRange(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return 'invalid';
  let ip = ipaddr.parse(bare);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  return range === 'unicast' ? undefined : range;
}

const refusal = (reason: OutboundRefusalReason, message: string, messageEn: string): OutboundRefusal => ({ reason, message, messageEn });

export type OutboundCheck = { ok: true; url: URL; allowedByConfig: boolean } | { ok: false; refusal: OutboundRefusal };

/**
 * The checks that need no network: the URL parses (WHATWG, which normalises 0x7f000001, 2130706433
 * and 0177.0.0.1 to 127.0.0.1), is https, names the official host for a robot, carries no
 * user:password, and, when its host is an IP literal, that address is public. Names are resolved by
 * checkOutboundTarget (at save) and by the filtering agent (at connect time).
 */
export function checkOutboundUrl(raw: string, kind: OutboundKind, allow: readonly AllowedOrigin[] = []): OutboundCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, refusal: refusal('invalid_url', '地址格式不正确', 'The URL does not parse') };
  }
  if (isAllowedOrigin(url, allow)) return { ok: true, url, allowedByConfig: true };
  if (url.protocol !== 'https:') {
    return { ok: false, refusal: refusal('not_https', '推送地址必须以 https:// 开头', 'Outbound URLs must use https') };
  }
  if (url.username || url.password) {
    return { ok: false, refusal: refusal('credentials', '推送地址中不能包含用户名或密码', 'Outbound URLs may not carry user:password') };
  }
  if (kind !== 'webhook') {
    const official = OFFICIAL_HOSTS[kind];
    if (url.hostname !== official || (url.port !== '' && url.port !== '443')) {
      const label = kind === 'dingtalk' ? '钉钉机器人' : '企业微信机器人';
      return {
        ok: false,
        refusal: refusal('not_official_host', `${label}地址必须是 https://${official}/ 下的地址`, `A ${kind} robot URL must be on https://${official}/`),
      };
    }
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) {
    const range = forbiddenRange(host);
    if (range) return { ok: false, refusal: forbiddenAddress(host, range) };
  }
  return { ok: true, url, allowedByConfig: false };
}

function forbiddenAddress(address: string, range: string): OutboundRefusal {
  return refusal(
    'forbidden_address',
    `${FORBIDDEN_TARGET_REASON}：推送地址不能指向内网、本机、链路本地或保留地址（${address}）`,
    `The address ${address} is not a public address (${range})`,
  );
}

export type Lookup = (hostname: string) => Promise<{ address: string }[]>;

/** A save waits this long for DNS at most; a name not resolved by then counts as not resolving now. */
const LOOKUP_TIMEOUT_MS = 3000;

const systemLookup: Lookup = (hostname) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`DNS lookup of ${hostname} took over ${LOOKUP_TIMEOUT_MS} ms`)), LOOKUP_TIMEOUT_MS);
  });
  return Promise.race([dnsLookup(hostname, { all: true, verbatim: true }), timeout]).finally(() => clearTimeout(timer));
};

/**
 * checkOutboundUrl, and for a host name every address it resolves to must be public. A name that
 * does not resolve now is accepted: nothing can be reached through it, and the connect-time check
 * judges whatever it resolves to later (which also defeats DNS rebinding).
 */
export async function checkOutboundTarget(raw: string, kind: OutboundKind, allow: readonly AllowedOrigin[] = [], lookup: Lookup = systemLookup): Promise<OutboundCheck> {
  const checked = checkOutboundUrl(raw, kind, allow);
  if (!checked.ok || checked.allowedByConfig) return checked;
  const host = checked.url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return checked;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host);
  } catch {
    return checked;
  }
  for (const { address } of addresses) {
    const range = forbiddenRange(address);
    if (range) return { ok: false, refusal: forbiddenAddress(`${host} → ${address}`, range) };
  }
  return checked;
}
