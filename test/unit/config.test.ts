import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { CONFIG_VARIABLES, ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from '../../libs/config';

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
      temporal: { address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'rectification-cases', workerGrpcCompression: 'none' },
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
    ['TEMPORAL_WORKER_GRPC_COMPRESSION', 'brotli'],
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

  it('never prints a secret it refuses', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig('api', { ...valid, ...env });
      } catch (err) {
        return (err as ConfigError).problems.join('\n');
      }
      return '';
    };
    expect(problems({ JWT_SECRET: 'short-secret-xyz' })).toMatch(/JWT_SECRET must be at least 32 characters \(got 16 characters\)/);
    expect(problems({ JWT_SECRET: 'short-secret-xyz' })).not.toContain('short-secret-xyz');
    const badUrl = problems({ DATABASE_URL: 'mysql://app:S3cretPw@db/x' });
    expect(badUrl).toContain('mysql://app:***@db/x');
    expect(badUrl).not.toContain('S3cretPw');
  });

  it('lists every problem at once', () => {
    expect(() => loadConfig('worker', { API_PORT: '0' })).toThrow(/DATABASE_URL[\s\S]*TEMPORAL_ADDRESS[\s\S]*API_PORT/);
  });

  it('documents every variable in the README table', async () => {
    const readme = (await import('node:fs')).readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    for (const v of CONFIG_VARIABLES) expect(readme).toContain(`\`${v.name}\``);
  });
});

describe('production refuses default secrets', () => {
  const ownSecret = 'b8f1c3e95a7d4f60a2e9c1d7b3f5a8e0c4d6f2a9';
  const production = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://rectification:Wq7ZpK2vNf4xLr9T@db:5432/rectification',
    TEMPORAL_ADDRESS: 'temporal:7233',
    JWT_SECRET: ownSecret,
  };
  const problemsOf = (app: 'api' | 'worker', env: Record<string, string | undefined>): string[] => {
    try {
      loadConfig(app, env);
      return [];
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      return err.problems;
    }
  };

  it('starts with secrets of its own', () => {
    expect(problemsOf('api', production)).toEqual([]);
    expect(problemsOf('worker', production)).toEqual([]);
  });

  it.each<[string, Record<string, string | undefined>, RegExp]>([
    ['no JWT_SECRET (the development default)', { JWT_SECRET: undefined }, /JWT_SECRET must be set to a secret of your own in production/],
    ['the development JWT_SECRET', { JWT_SECRET: DEVELOPMENT_JWT_SECRET }, /JWT_SECRET must be set to a secret of your own in production/],
    ['a short JWT_SECRET', { JWT_SECRET: 'Zx81-short' }, /JWT_SECRET must be at least 32 characters/],
    ['a JWT_SECRET of one repeated character', { JWT_SECRET: 'a'.repeat(40) }, /JWT_SECRET looks like a placeholder/],
    ['a JWT_SECRET that says to change it', { JWT_SECRET: 'please-changeme-before-going-live-2026!' }, /JWT_SECRET looks like a placeholder/],
    ['the local cluster\'s database password', { DATABASE_URL: 'postgres://rectification:rectification@db:5432/rectification' }, /DATABASE_URL uses a well-known default password/],
    ['the password "postgres"', { DATABASE_URL: 'postgres://postgres:postgres@db:5432/rectification' }, /DATABASE_URL uses a well-known default password/],
    ['the user name as password', { DATABASE_URL: 'postgres://county_app:county_app@db:5432/rectification' }, /DATABASE_URL uses a well-known default password/],
  ])('the api refuses %s', (_what, change, expected) => {
    const problems = problemsOf('api', { ...production, ...change });
    expect(problems.join('\n')).toMatch(expected);
    expect(problems.join('\n')).not.toContain('Wq7ZpK2vNf4xLr9T');
  });

  it('the worker refuses a default database password too (it has no JWT secret to check)', () => {
    expect(problemsOf('worker', { ...production, JWT_SECRET: undefined })).toEqual([]);
    expect(problemsOf('worker', { ...production, DATABASE_URL: 'postgres://rectification:rectification@db:5432/rectification' }).join('\n')).toMatch(
      /DATABASE_URL uses a well-known default password/,
    );
  });

  it('development and test keep their defaults', () => {
    for (const NODE_ENV of ['development', 'test']) {
      expect(problemsOf('api', { ...production, NODE_ENV, JWT_SECRET: undefined, DATABASE_URL: 'postgres://rectification:rectification@127.0.0.1:5432/rectification' })).toEqual([]);
    }
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

  it('api stops at once in production with the default secrets, naming them without printing them', () => {
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://rectification:rectification@127.0.0.1:5432/rectification',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
    };
    const res = spawnSync(process.execPath, [path.join(root, 'dist/apps/api/src/main.js')], { env, encoding: 'utf8', timeout: 30000 });
    expect(res.status).toBe(78);
    expect(res.stderr).toContain('JWT_SECRET must be set to a secret of your own in production');
    expect(res.stderr).toContain('DATABASE_URL uses a well-known default password');
    expect(res.stderr).not.toContain(DEVELOPMENT_JWT_SECRET);
  });

  it('the demo seed refuses to load demo users (published password) in production', () => {
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app:Wq7ZpK2vNf4xLr9T@127.0.0.1:5432/rectification',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      JWT_SECRET: 'b8f1c3e95a7d4f60a2e9c1d7b3f5a8e0c4d6f2a9',
    };
    const res = spawnSync(process.execPath, [path.join(root, 'dist/apps/api/src/demo/seed-demo.js')], { env, encoding: 'utf8', timeout: 30000 });
    expect(res.status).toBe(78);
    expect(res.stderr).toContain('refusing to load the demo county in production');
  });
});
