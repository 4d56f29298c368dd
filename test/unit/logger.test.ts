import { Writable } from 'node:stream';
import { createLogger, TemporalPinoLogger } from '../../libs/observability';

/** A logger whose JSON lines are collected. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ app: 'api', level: 'debug', format: 'json', destination }) };
}

describe('the log lines', () => {
  it('are JSON with ISO time, the level by name and the app', () => {
    const { lines, logger } = capture();
    logger.info({ caseId: 'case-2026-x' }, 'hello');
    expect(lines[0]).toMatchObject({ level: 'info', app: 'api', caseId: 'case-2026-x', msg: 'hello' });
    expect(lines[0].time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('never carry a bearer token, a cookie, a password, a token or a channel secret, wherever they sit', () => {
    const { lines, logger } = capture();
    logger.warn(
      {
        req: { method: 'POST', url: '/api/auth/login', headers: { authorization: 'Bearer eyJhbGciOi.secret.sig', cookie: 'sid=abc123' } },
        body: { username: 'zzb_admin', password: 'Hunter2-密码', newPassword: 'Next-密码-2' },
        accessToken: 'eyJtoken',
        channel: { kind: 'dingtalk', secret: 'SECdingtalk' },
        config: { auth: { jwtSecret: 'jwt-secret-of-the-county-0123456789' } },
      },
      'something odd',
    );
    const text = JSON.stringify(lines);
    for (const secret of ['eyJhbGciOi', 'sid=abc123', 'Hunter2', 'Next-密码-2', 'eyJtoken', 'SECdingtalk', 'jwt-secret-of-the-county']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ body: { username: 'zzb_admin', password: '[redacted]' }, channel: { kind: 'dingtalk', secret: '[redacted]' } });
  });
});

describe("the Temporal SDK's log lines", () => {
  it('carry the workflow id, and the case id for a case workflow', () => {
    const { lines, logger } = capture();
    const temporal = new TemporalPinoLogger(logger);
    temporal.info('Activity completed', { workflowId: 'case-2026-o1', workflowType: 'rectifyCase', activityType: 'syncCase', sdkComponent: 'activity' });
    temporal.warn('Dispatcher retrying', { workflowId: 'deliver-c1', workflowType: 'deliverNotices', error: new Error('boom') });
    expect(lines[0]).toMatchObject({ level: 'info', workflowId: 'case-2026-o1', caseId: 'case-2026-o1', activityType: 'syncCase', msg: 'Activity completed' });
    expect(lines[1]).toMatchObject({ level: 'warn', workflowId: 'deliver-c1', err: { message: 'boom' } });
    expect(lines[1].caseId).toBeUndefined();
  });
});
