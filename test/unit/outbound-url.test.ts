import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DeliveryError, postJson } from '../../libs/outbound/outbound-http';
import { ConfigError, loadConfig } from '../../libs/config';
import { checkOutboundTarget, checkOutboundUrl, forbiddenRange, parseOutboundAllow, type AllowedOrigin } from '../../libs/outbound';

const LOCAL: AllowedOrigin[] = parseOutboundAllow('http://127.0.0.1:*') as AllowedOrigin[];

describe('outbound URLs: where notification channels may send', () => {
  describe('addresses', () => {
    it.each([
      ['127.0.0.1', 'loopback'],
      ['::1', 'loopback'],
      ['10.0.0.1', 'private'],
      ['192.168.1.20', 'private'],
      ['172.16.0.1', 'private'],
      ['169.254.169.254', 'linkLocal'],
      ['fe80::1', 'linkLocal'],
      ['100.64.0.1', 'carrierGradeNat'],
      ['100.100.100.200', 'carrierGradeNat'],
      ['224.0.0.1', 'multicast'],
      ['ff02::1', 'multicast'],
      ['0.0.0.0', 'unspecified'],
      ['::', 'unspecified'],
      ['fd00:ec2::254', 'uniqueLocal'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:169.254.169.254', 'linkLocal'],
      ['64:ff9b::7f00:1', 'rfc6052'],
    ])('refuses %s (%s)', (address, range) => {
      expect(forbiddenRange(address)).toBe(range);
    });

    it.each(['8.8.8.8', '203.119.128.1', '2400:3200::1'])('accepts the public address %s', (address) => {
      expect(forbiddenRange(address)).toBeUndefined();
    });
  });

  describe('checkOutboundUrl (no network)', () => {
    it.each([
      'https://127.0.0.1:5432/',
      'https://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'https://10.0.0.1/',
      'https://0x7f000001/',
      'https://2130706433/',
      'https://0177.0.0.1/',
      'https://[::1]:7233/',
      'https://[::ffff:127.0.0.1]/',
      'https://[::ffff:7f00:1]/',
      'https://100.64.0.1/',
      'https://0.0.0.0/',
    ])('refuses the internal address of %s', (url) => {
      const checked = checkOutboundUrl(url, 'webhook');
      expect(checked).toMatchObject({ ok: false, refusal: { reason: 'forbidden_address' } });
    });

    it.each(['http://127.0.0.1:5432/', 'http://hooks.example.com/x', 'ftp://hooks.example.com/x'])('refuses %s: not https', (url) => {
      expect(checkOutboundUrl(url, 'webhook')).toMatchObject({ ok: false, refusal: { reason: 'not_https' } });
    });

    it('keeps DingTalk and WeCom robots on their official hosts', () => {
      expect(checkOutboundUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', 'dingtalk')).toMatchObject({ ok: true });
      expect(checkOutboundUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', 'wecom')).toMatchObject({ ok: true });
      for (const [url, kind] of [
        ['https://oapi.dingtalk.com.evil.example/robot/send', 'dingtalk'],
        ['https://hooks.example.com/robot/send', 'dingtalk'],
        ['https://oapi.dingtalk.com:8443/robot/send', 'dingtalk'],
        ['https://qyapi.weixin.qq.com.example/cgi-bin/webhook/send', 'wecom'],
        ['https://oapi.dingtalk.com/robot/send', 'wecom'],
      ] as const) {
        expect(checkOutboundUrl(url, kind)).toMatchObject({ ok: false, refusal: { reason: 'not_official_host' } });
      }
    });

    it('refuses user:password in the URL and URLs that do not parse', () => {
      expect(checkOutboundUrl('https://user:pw@hooks.example.com/x', 'webhook')).toMatchObject({ ok: false, refusal: { reason: 'credentials' } });
      expect(checkOutboundUrl('https://[::1/x', 'webhook')).toMatchObject({ ok: false, refusal: { reason: 'invalid_url' } });
    });

    it('lets through exactly the origins OUTBOUND_ALLOW names', () => {
      expect(checkOutboundUrl('http://127.0.0.1:4567/webhook/a', 'webhook', LOCAL)).toMatchObject({ ok: true, allowedByConfig: true });
      expect(checkOutboundUrl('http://127.0.0.1:4567/dingtalk/a', 'dingtalk', LOCAL)).toMatchObject({ ok: true, allowedByConfig: true });
      expect(checkOutboundUrl('http://127.0.0.2:4567/webhook/a', 'webhook', LOCAL)).toMatchObject({ ok: false });
      expect(checkOutboundUrl('https://127.0.0.1:4567/webhook/a', 'webhook', LOCAL)).toMatchObject({ ok: false });
      const onePort = parseOutboundAllow('http://127.0.0.1:8080') as AllowedOrigin[];
      expect(checkOutboundUrl('http://127.0.0.1:8080/x', 'webhook', onePort)).toMatchObject({ ok: true });
      expect(checkOutboundUrl('http://127.0.0.1:8081/x', 'webhook', onePort)).toMatchObject({ ok: false });
    });
  });

  describe('checkOutboundTarget (names resolved)', () => {
    it('refuses a name that resolves to loopback (real resolution of localhost)', async () => {
      expect(await checkOutboundTarget('https://localhost:8443/hook', 'webhook')).toMatchObject({ ok: false, refusal: { reason: 'forbidden_address' } });
    });

    it('refuses a name when any of its addresses is internal', async () => {
      const lookup = async () => [{ address: '8.8.8.8' }, { address: '10.1.2.3' }];
      expect(await checkOutboundTarget('https://hooks.example.com/x', 'webhook', [], lookup)).toMatchObject({ ok: false, refusal: { reason: 'forbidden_address' } });
    });

    it('accepts a name with public addresses only, and one that does not resolve now (the connect-time check judges it)', async () => {
      expect(await checkOutboundTarget('https://hooks.example.com/x', 'webhook', [], async () => [{ address: '93.184.215.14' }])).toMatchObject({ ok: true });
      const nxdomain = async () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
      expect(await checkOutboundTarget('https://hooks.example.invalid/x', 'webhook', [], nxdomain)).toMatchObject({ ok: true });
    });
  });

  describe('the sender refuses at connect time', () => {
    let server: Server;
    let port: number;
    let connections = 0;
    beforeAll(async () => {
      server = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('a name resolving to 127.0.0.1 never gets a connection, and the reason is short', async () => {
      const sent = postJson('webhook', `https://localhost:${port}/hook`, '{}', {}, { allow: [] });
      await expect(sent).rejects.toBeInstanceOf(DeliveryError);
      await expect(sent).rejects.toMatchObject({ message: '目标地址不允许', permanent: true, maybeDelivered: false });
      expect(connections).toBe(0);
    });

    it('an internal literal is refused before any connection', async () => {
      await expect(postJson('webhook', `https://127.0.0.1:${port}/hook`, '{}', {}, { allow: [] })).rejects.toMatchObject({ permanent: true });
      await expect(postJson('webhook', `http://127.0.0.1:${port}/hook`, '{}', {}, { allow: [] })).rejects.toMatchObject({ permanent: true });
      expect(connections).toBe(0);
    });
  });

  describe('configuration', () => {
    const base = { DATABASE_URL: 'postgres://app:s3cret-Pa55@db:5432/rectification', TEMPORAL_ADDRESS: 'temporal:7233' };

    it('reads OUTBOUND_ALLOW and MAX_CHANNELS_PER_TOWNSHIP (default 5)', () => {
      const config = loadConfig('worker', { ...base, OUTBOUND_ALLOW: 'http://127.0.0.1:*, https://receiver.test:8443' });
      expect(config.outbound.allow).toEqual([
        { protocol: 'http:', hostname: '127.0.0.1', port: '*' },
        { protocol: 'https:', hostname: 'receiver.test', port: '8443' },
      ]);
      expect(config.outbound.maxChannelsPerTownship).toBe(5);
      expect(loadConfig('worker', base).outbound.allow).toEqual([]);
      expect(loadConfig('api', { ...base, MAX_CHANNELS_PER_TOWNSHIP: '8' }).outbound.maxChannelsPerTownship).toBe(8);
    });

    it('refuses a malformed allowance and a limit out of range', () => {
      expect(() => loadConfig('worker', { ...base, OUTBOUND_ALLOW: 'http://127.0.0.1/path' })).toThrow(/OUTBOUND_ALLOW/);
      expect(() => loadConfig('worker', { ...base, OUTBOUND_ALLOW: '127.0.0.1' })).toThrow(/OUTBOUND_ALLOW/);
      expect(() => loadConfig('api', { ...base, MAX_CHANNELS_PER_TOWNSHIP: '0' })).toThrow(/MAX_CHANNELS_PER_TOWNSHIP/);
    });

    it('refuses the allowance in production, for the API and the worker', () => {
      const production = { ...base, NODE_ENV: 'production', JWT_SECRET: 'k9Xq2vLm8Rt4Wz7Pb3Nc6Hy1Jd5Fg0Sa' };
      expect(() => loadConfig('worker', production)).not.toThrow();
      for (const app of ['api', 'worker'] as const) {
        let error: unknown;
        try {
          loadConfig(app, { ...production, OUTBOUND_ALLOW: 'http://127.0.0.1:*' });
        } catch (err) {
          error = err;
        }
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^OUTBOUND_ALLOW must not be set in production/)]);
      }
    });
  });
});
