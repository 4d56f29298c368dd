import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../libs/config';

const valid = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/rectification',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
};

describe('configuration, validated at start-up', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig('api', valid);
    expect(config).toMatchObject({
      nodeEnv: 'development',
      databaseUrl: valid.DATABASE_URL,
      temporal: { address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'rectification-cases' },
      api: { host: '127.0.0.1', port: 3000 },
    });
  });

  it.each(['DATABASE_URL', 'TEMPORAL_ADDRESS'])('refuses to start without %s, naming it', (name) => {
    const env: Record<string, string> = { ...valid };
    delete env[name];
    for (const app of ['api', 'worker'] as const) {
      expect(() => loadConfig(app, env)).toThrow(ConfigError);
      expect(() => loadConfig(app, env)).toThrow(new RegExp(`${name} is required`));
    }
  });

  it.each([
    ['DATABASE_URL', 'mysql://u@h/db'],
    ['DATABASE_URL', 'postgres://host-without-database'],
    ['TEMPORAL_ADDRESS', 'localhost'],
    ['API_PORT', '70000'],
    ['API_PORT', 'eighty'],
    ['NODE_ENV', 'staging'],
    ['TEMPORAL_TASK_QUEUE', 'has spaces'],
    ['TEMPORAL_UI_URL', 'ftp://ui'],
    ['LOGIN_MAX_FAILURES', '0'],
    ['LOGIN_MAX_FAILURES', 'five'],
    ['LOGIN_LOCKOUT_WINDOW', '15'],
    ['LOGIN_LOCKOUT_WINDOW', '2d'],
    ['TRUST_PROXY', 'true'],
    ['TRUST_PROXY', 'everyone'],
  ])('refuses %s=%s, naming the variable and the value', (name, value) => {
    let error: unknown;
    try {
      loadConfig('api', { ...valid, [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(1);
    expect((error as ConfigError).problems[0]).toContain(name);
    expect((error as ConfigError).problems[0]).toContain(value);
  });

  it('limits sign-in failures to 5 per client address and username in 15 minutes, trusting no proxy, unless told otherwise', () => {
    expect(loadConfig('api', valid)).toMatchObject({ api: { trustProxy: false }, auth: { loginMaxFailures: 5, loginLockoutWindowMs: 15 * 60 * 1000 } });
    const tuned = loadConfig('api', { ...valid, LOGIN_MAX_FAILURES: '10', LOGIN_LOCKOUT_WINDOW: '1h', TRUST_PROXY: 'loopback, 10.0.0.0/8' });
    expect(tuned).toMatchObject({ api: { trustProxy: 'loopback, 10.0.0.0/8' }, auth: { loginMaxFailures: 10, loginLockoutWindowMs: 3_600_000 } });
    expect(loadConfig('api', { ...valid, TRUST_PROXY: '1' }).api.trustProxy).toBe(1);
  });

  it('lists every problem at once', () => {
    expect(() => loadConfig('worker', { API_PORT: '0' })).toThrow(/DATABASE_URL[\s\S]*TEMPORAL_ADDRESS[\s\S]*API_PORT/);
  });

  it('documents every variable in the README table', async () => {
    const readme = (await import('node:fs')).readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    for (const v of CONFIG_VARIABLES) expect(readme).toContain(`\`${v.name}\``);
  });
});

describe('a process started with a bad configuration', () => {
  const root = path.join(__dirname, '..', '..');
  it.each([
    ['api', 'dist/apps/api/src/main.js'],
    ['worker', 'dist/apps/worker/src/main.js'],
  ])('%s stops at once with exit status 78 and a message naming the variable', (_app, entry) => {
    const env = { PATH: process.env.PATH, TEMPORAL_ADDRESS: '127.0.0.1:7233' };
    const res = spawnSync(process.execPath, [path.join(root, entry)], { env, encoding: 'utf8', timeout: 30000 });
    expect(res.status).toBe(78);
    expect(res.stderr).toContain('DATABASE_URL is required');
  });
});
