/**
 * The production topology (docker-compose.yml, Dockerfile, deploy/) checked against the code it runs:
 * the variables libs/config requires and validates, the search attributes scripts/lib/temporal.js
 * registers, the entry points the build produces. No Docker is needed: the files are parsed.
 *
 * Each check is a function that returns the problems it finds, so the tests below also feed it a
 * broken copy of the file and expect it to complain (a check that cannot fail proves nothing).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, ConfigError, loadConfig, type AppName } from '../../libs/config';

const { SEARCH_ATTRIBUTES } = require('../../scripts/lib/temporal') as { SEARCH_ATTRIBUTES: Record<string, string> };

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

// ---------------------------------------------------------------------------------------------
// The compose model, as far as these checks need it.

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  volumes?: (string | { source?: string; target?: string })[];
  restart?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
}

const loadCompose = (): ComposeFile => parse(read('docker-compose.yml')) as ComposeFile;

/** The Node.js LTS line the image runs (and scripts/test-on-node-lts.js tests on). */
const NODE_LTS_MAJOR = 24;
/** The image's health check, for the API and the worker alike. */
const HEALTHCHECK_ENTRY = 'dist/libs/health/healthcheck.js';
/** A compiled entry's TypeScript source exists. */
const sourceExists = (entry: string) => fs.existsSync(path.join(ROOT, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts')));
const clone = <T>(value: T): T => structuredClone(value);

const APPS: AppName[] = ['api', 'worker'];
const POSTGRES = 'postgresql';
const TEMPORAL = 'temporal';
const SEARCH_ATTRIBUTE_SERVICE = 'temporal-search-attributes';
const EXPECTED_SERVICES = [POSTGRES, 'temporal-schema', TEMPORAL, SEARCH_ATTRIBUTE_SERVICE, 'temporal-ui', 'migrate', ...APPS];

/** A service's environment as written (before interpolation); list and mapping forms alike. */
function rawEnvironment(service: Service | undefined): Record<string, string | undefined> {
  const env = service?.environment;
  if (!env) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const eq = entry.indexOf('=');
        return eq < 0 ? [entry, undefined] : [entry.slice(0, eq), entry.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null || v === undefined ? undefined : String(v)]));
}

/**
 * Compose interpolation (https://docs.docker.com/reference/compose-file/interpolation/) with no
 * variable set by the operator: `${X:-d}`/`${X-d}` give their default, `${X:?msg}`/`${X?msg}` the
 * plausible value an operator would have to provide, `${X:+a}` nothing, `$$` a dollar sign.
 */
function interpolate(value: string, required: (name: string) => string, operatorSet: Record<string, string> = {}): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
      if (match === '$$') return '$';
      const name = (braced ?? bare) as string;
      const set = operatorSet[name];
      const present = op?.startsWith(':') ? set !== undefined && set !== '' : set !== undefined;
      switch (op) {
        case undefined:
          return set ?? '';
        case ':-':
        case '-':
          return present ? (set as string) : (arg ?? '');
        case ':?':
        case '?':
          return present ? (set as string) : required(name);
        case ':+':
        case '+':
          return present ? (arg ?? '') : '';
        default:
          throw new Error(`unsupported interpolation ${match}`);
      }
    },
  );
}

/** What an operator sets for a `${X:?…}` variable; only secrets are expected to be required. */
function plausibleRequiredValue(name: string): string {
  if (/PASSWORD|SECRET/.test(name)) return `Example0${name.replace(/_/g, '').toLowerCase()}9`.padEnd(40, 'x');
  throw new Error(`${name} is required by docker-compose.yml but this test knows no plausible value for it`);
}

/** A service's environment as the container would see it, given only the defaults in the file. */
function resolvedEnvironment(service: Service | undefined): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [name, raw] of Object.entries(rawEnvironment(service))) {
    if (raw !== undefined) resolved[name] = interpolate(raw, plausibleRequiredValue);
  }
  return resolved;
}

const isInterpolated = (raw: string) => /\$(\{|[A-Za-z_])/.test(raw.replace(/\$\$/g, ''));

function hostAndPort(address: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(address);
  return m ? { host: m[1], port: Number(m[2]) } : { host: address, port: NaN };
}

const asArray = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : value.split(/\s+/));

function dependsOn(service: Service): Record<string, string> {
  const deps = service.depends_on;
  if (!deps) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d?.condition ?? 'service_started']));
}

/** The temporal service's frontend gRPC port (the server's config template defaults it to 7233). */
function temporalGrpcPort(doc: ComposeFile): number {
  return Number(resolvedEnvironment(doc.services[TEMPORAL]).FRONTEND_GRPC_PORT ?? 7233);
}

// ---------------------------------------------------------------------------------------------
// Checks: each returns a list of problems, empty when the file is right.

function checkServicesExist(doc: ComposeFile): string[] {
  return EXPECTED_SERVICES.filter((name) => !doc.services?.[name]).map((name) => `service ${name} is missing`);
}

function checkAppsBuildFromDockerfile(doc: ComposeFile): string[] {
  const problems: string[] = [];
  for (const app of APPS) {
    const build = doc.services[app]?.build;
    const context = typeof build === 'string' ? build : build?.context;
    const dockerfile = (typeof build === 'object' && build.dockerfile) || 'Dockerfile';
    if (!build || context === undefined) {
      problems.push(`${app} has no build section`);
      continue;
    }
    if (path.resolve(ROOT, context) !== ROOT) problems.push(`${app} builds from ${context}, not the repository root`);
    if (dockerfile !== 'Dockerfile') problems.push(`${app} builds from ${dockerfile}, not the Dockerfile`);
  }
  return problems;
}

/** Every variable CONFIG_VARIABLES requires for the app, plus the ones production must pin. */
function checkAppEnvironmentIsComplete(doc: ComposeFile, app: AppName): string[] {
  const raw = rawEnvironment(doc.services[app]);
  const wanted = new Set([
    ...CONFIG_VARIABLES.filter((v) => v.requiredBy.includes(app)).map((v) => v.name),
    'NODE_ENV',
    'TEMPORAL_NAMESPACE',
    'TEMPORAL_TASK_QUEUE',
    ...(app === 'api' ? ['API_HOST', 'API_PORT', 'TEMPORAL_UI_URL'] : []),
  ]);
  const problems = [...wanted].filter((name) => raw[name] === undefined || raw[name] === '').map((name) => `${app} does not set ${name}`);
  const known = new Set(CONFIG_VARIABLES.map((v) => v.name));
  for (const name of Object.keys(raw)) if (!known.has(name)) problems.push(`${app} sets ${name}, which libs/config does not read`);
  const env = resolvedEnvironment(doc.services[app]);
  if (env.NODE_ENV !== undefined && env.NODE_ENV !== 'production') problems.push(`${app} runs with NODE_ENV=${env.NODE_ENV}, not production`);
  if (app === 'api' && env.API_HOST !== undefined && env.API_HOST !== '0.0.0.0') problems.push(`api listens on ${env.API_HOST}, not 0.0.0.0`);
  return problems;
}

/** Each value (defaults resolved) passes its variable's own validator, and loadConfig accepts the lot. */
function checkAppEnvironmentValidates(doc: ComposeFile, app: AppName): string[] {
  const problems: string[] = [];
  const raw = rawEnvironment(doc.services[app]);
  const env = resolvedEnvironment(doc.services[app]);
  for (const spec of CONFIG_VARIABLES) {
    const value = env[spec.name];
    if (value === undefined) continue;
    const problem = spec.validate(value);
    const origin = isInterpolated(raw[spec.name] ?? '') ? ` (from ${raw[spec.name]})` : '';
    if (problem) problems.push(`${app}: ${spec.name}="${value}"${origin} ${problem}`);
  }
  try {
    loadConfig(app, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems.map((p) => `${app}: loadConfig: ${p}`));
  }
  return problems;
}

function checkTemporalAddress(doc: ComposeFile, service: string): string[] {
  const address = resolvedEnvironment(doc.services[service]).TEMPORAL_ADDRESS;
  if (!address) return [`${service} does not set TEMPORAL_ADDRESS`];
  const { host, port } = hostAndPort(address);
  const problems: string[] = [];
  if (host !== TEMPORAL) problems.push(`${service}: TEMPORAL_ADDRESS ${address} does not name the ${TEMPORAL} service`);
  if (port !== temporalGrpcPort(doc)) problems.push(`${service}: TEMPORAL_ADDRESS ${address} is not the frontend gRPC port ${temporalGrpcPort(doc)}`);
  return problems;
}

/** DATABASE_URL reaches the postgresql service, as the app's own role, in the app's own database. */
function checkDatabaseUrl(doc: ComposeFile, service: string): string[] {
  const value = resolvedEnvironment(doc.services[service]).DATABASE_URL;
  if (!value) return [`${service} does not set DATABASE_URL`];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [`${service}: DATABASE_URL ${value} is not a URL`];
  }
  const pg = resolvedEnvironment(doc.services[POSTGRES]);
  const database = decodeURIComponent(url.pathname.slice(1));
  const problems: string[] = [];
  if (url.hostname !== POSTGRES) problems.push(`${service}: DATABASE_URL host ${url.hostname} is not the ${POSTGRES} service`);
  if ((url.port || '5432') !== '5432') problems.push(`${service}: DATABASE_URL port ${url.port} is not PostgreSQL's 5432`);
  if (database !== pg.APP_DB_NAME) problems.push(`${service}: DATABASE_URL database ${database} is not APP_DB_NAME (${pg.APP_DB_NAME}) created by the init script`);
  if (decodeURIComponent(url.username) !== pg.APP_DB_USER) problems.push(`${service}: DATABASE_URL user ${url.username} is not APP_DB_USER (${pg.APP_DB_USER})`);
  if (decodeURIComponent(url.password) === '') problems.push(`${service}: DATABASE_URL has no password`);
  if ([pg.TEMPORAL_DB_NAME, pg.TEMPORAL_VISIBILITY_DB_NAME].includes(database)) problems.push(`${service}: DATABASE_URL points at a Temporal database`);
  return problems;
}

/** api and worker (and everything else naming them) agree on namespace, task queue and database. */
function checkSharedSettings(doc: ComposeFile): string[] {
  const problems: string[] = [];
  const [api, worker] = APPS.map((app) => rawEnvironment(doc.services[app]));
  for (const name of ['TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'DATABASE_URL', 'TEMPORAL_ADDRESS']) {
    if (api[name] !== worker[name]) problems.push(`api and worker differ in ${name}: "${api[name]}" / "${worker[name]}"`);
  }
  const namespace = api.TEMPORAL_NAMESPACE;
  const sa = rawEnvironment(doc.services[SEARCH_ATTRIBUTE_SERVICE]).TEMPORAL_NAMESPACE;
  if (sa !== namespace) problems.push(`${SEARCH_ATTRIBUTE_SERVICE} prepares namespace "${sa}", the apps use "${namespace}"`);
  const ui = rawEnvironment(doc.services['temporal-ui']).TEMPORAL_DEFAULT_NAMESPACE;
  if (ui !== undefined && ui !== namespace) problems.push(`temporal-ui opens namespace "${ui}", the apps use "${namespace}"`);
  const migrate = rawEnvironment(doc.services.migrate).DATABASE_URL;
  if (migrate !== api.DATABASE_URL) problems.push('migrate migrates another database than the apps use');
  return problems;
}

/** Host path of the file or folder a service mounts at `target` (or under it). */
function mountedSource(service: Service | undefined, target: string): string | undefined {
  for (const volume of service?.volumes ?? []) {
    const [source, mountTarget] = typeof volume === 'string' ? volume.split(':') : [volume.source, volume.target];
    if (!source || !mountTarget || !source.startsWith('.')) continue;
    if (target === mountTarget) return source;
    if (target.startsWith(`${mountTarget}/`)) return path.join(source, target.slice(mountTarget.length + 1));
  }
  return undefined;
}

/** The one-shot service registers exactly SEARCH_ATTRIBUTES, with the CLI of the admin-tools image. */
function checkSearchAttributeService(doc: ComposeFile): string[] {
  const service = doc.services[SEARCH_ATTRIBUTE_SERVICE];
  if (!service) return [`service ${SEARCH_ATTRIBUTE_SERVICE} is missing`];
  const problems: string[] = [];
  if (!/^temporalio\/admin-tools:/.test(service.image ?? '')) problems.push(`${SEARCH_ATTRIBUTE_SERVICE} does not use temporalio/admin-tools`);
  const list = resolvedEnvironment(service).SEARCH_ATTRIBUTES ?? '';
  const registered: Record<string, string> = {};
  for (const pair of list.split(/\s+/).filter(Boolean)) {
    const [name, type, ...rest] = pair.split('=');
    if (!name || !type || rest.length) problems.push(`malformed search attribute "${pair}"`);
    else if (registered[name]) problems.push(`search attribute ${name} listed twice`);
    else registered[name] = type;
  }
  const wanted = SEARCH_ATTRIBUTES;
  for (const [name, type] of Object.entries(wanted)) {
    if (registered[name] !== type) problems.push(`search attribute ${name}=${type} is ${registered[name] ? `registered as ${registered[name]}` : 'not registered'}`);
  }
  for (const name of Object.keys(registered)) if (!(name in wanted)) problems.push(`search attribute ${name} is not in scripts/lib/temporal.js`);

  const script = [...asArray(service.entrypoint), ...asArray(service.command)].find((arg) => arg.endsWith('.sh'));
  const source = script && mountedSource(service, script);
  if (!script || !source) problems.push(`${SEARCH_ATTRIBUTE_SERVICE} runs no script mounted from the repository`);
  else if (!fs.existsSync(path.join(ROOT, source))) problems.push(`${SEARCH_ATTRIBUTE_SERVICE} mounts ${source}, which does not exist`);
  else if (!/\boperator search-attribute create\b/.test(read(source))) problems.push(`${source} does not run temporal operator search-attribute create`);
  problems.push(...checkTemporalAddress(doc, SEARCH_ATTRIBUTE_SERVICE));
  if (dependsOn(service)[TEMPORAL] !== 'service_healthy') problems.push(`${SEARCH_ATTRIBUTE_SERVICE} does not wait for a healthy ${TEMPORAL}`);
  return problems;
}

/** depends_on conditions that Compose can honour, and the start order the apps need. */
function checkStartOrder(doc: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(doc.services)) {
    for (const [target, condition] of Object.entries(dependsOn(service))) {
      const dep = doc.services[target];
      if (!dep) problems.push(`${name} depends on unknown service ${target}`);
      else if (condition === 'service_healthy' && (!dep.healthcheck || dep.healthcheck.disable)) problems.push(`${name} waits for ${target} to be healthy, but it has no healthcheck`);
      else if (condition === 'service_completed_successfully' && dep.restart && dep.restart !== 'no') problems.push(`${name} waits for ${target} to complete, but it restarts (${dep.restart})`);
    }
  }
  for (const app of APPS) {
    const deps = dependsOn(doc.services[app] ?? {});
    if (deps.migrate !== 'service_completed_successfully') problems.push(`${app} does not wait for the migrations`);
    if (deps[SEARCH_ATTRIBUTE_SERVICE] !== 'service_completed_successfully') problems.push(`${app} does not wait for the namespace and search attributes`);
  }
  if (dependsOn(doc.services[TEMPORAL] ?? {})['temporal-schema'] !== 'service_completed_successfully') problems.push(`${TEMPORAL} does not wait for its schema`);
  return problems;
}

/** Upstream images carry an explicit version tag. */
function checkImagesPinned(doc: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(doc.services)) {
    if (service.build || !service.image) continue;
    const tag = /:([^/:@]+)$/.exec(service.image)?.[1];
    if (!tag || tag === 'latest' || !/\d+\.\d+/.test(tag)) problems.push(`${name} uses ${service.image}, not a pinned version`);
  }
  return problems;
}

function checkDockerfile(text: string): string[] {
  const problems: string[] = [];
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args: Record<string, string> = {};
  for (const l of lines) {
    const m = /^ARG\s+(\w+)=(\S+)/.exec(l);
    if (m) args[m[1]] = m[2];
  }
  const froms = lines.filter((l) => /^FROM\s/i.test(l)).map((l) => l.split(/\s+/)[1].replace(/^\$\{?(\w+)\}?$/, (_m, a: string) => args[a] ?? _m));
  if (froms.length < 2) problems.push('the Dockerfile is not multi-stage');
  for (const image of froms) if (!new RegExp(`^node:${NODE_LTS_MAJOR}\\.\\d+(\\.\\d+)?-bookworm-slim$`).test(image)) problems.push(`base image ${image} is not node:${NODE_LTS_MAJOR}.<minor>-bookworm-slim`);
  const lastFrom = lines.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true);
  const finalStage = lines.slice(lastFrom);
  const user = finalStage.filter((l) => /^USER\s/i.test(l)).pop()?.split(/\s+/)[1];
  if (!user) problems.push('the final stage sets no USER (it would run as root)');
  else if (/^(root|0)(:|$)/.test(user)) problems.push(`the final stage runs as ${user}`);
  const run = lines.filter((l) => /^RUN\s/i.test(l)).join('\n');
  if (!/\bnpm ci\b/.test(run)) problems.push('the Dockerfile does not install with npm ci');
  if (!/\btsc\b[^\n]*-p tsconfig\.build\.json/.test(run)) problems.push('the Dockerfile does not compile with tsc -p tsconfig.build.json');
  if (!/npm prune --omit=dev|npm ci --omit=dev/.test(run)) problems.push('the Dockerfile does not drop the dev dependencies');
  if (!finalStage.some((l) => /^COPY\s.*\bdist\b/i.test(l))) problems.push('the final stage does not copy dist');
  const healthcheck = finalStage.filter((l) => /^HEALTHCHECK\s/i.test(l)).pop();
  if (!healthcheck || /^HEALTHCHECK\s+NONE\b/i.test(healthcheck)) problems.push('the final stage has no HEALTHCHECK');
  else {
    const entry = /"(dist\/[^"]+\.js)"/.exec(healthcheck)?.[1];
    if (!entry || !sourceExists(entry)) problems.push(`the HEALTHCHECK runs ${entry ?? 'no dist/ entry'}, which the build does not produce`);
    else if (!new RegExp(`test -f ${entry.replace(/[.]/g, '\\.')}`).test(run)) problems.push(`the build does not check that it produced ${entry}`);
  }
  return problems;
}

/**
 * API and worker each have a healthcheck that runs the image's check (libs/health/healthcheck.ts) for
 * their own role, so Compose's view agrees with the image's HEALTHCHECK.
 */
function checkAppHealthchecks(doc: ComposeFile): string[] {
  const problems: string[] = [];
  for (const app of APPS) {
    const test = asArray(doc.services[app]?.healthcheck?.test);
    if (!test.length || doc.services[app]?.healthcheck?.disable) {
      problems.push(`${app} has no healthcheck`);
      continue;
    }
    const entry = test.find((arg) => arg.startsWith('dist/'));
    if (entry !== HEALTHCHECK_ENTRY) problems.push(`${app}'s healthcheck runs ${entry ?? test.join(' ')}, not ${HEALTHCHECK_ENTRY}`);
    if (test[test.length - 1] !== app) problems.push(`${app}'s healthcheck does not check the ${app} role (ends with ${test[test.length - 1]})`);
  }
  return problems;
}

/**
 * Secrets come from the operator's .env, never from the file: every password or secret (and the
 * password inside DATABASE_URL) is a required variable, `${X:?message}`, with no default to fall back on.
 */
function checkSecretsAreRequired(doc: ComposeFile): string[] {
  const problems: string[] = [];
  const required = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?\?[^}]*\}$/;
  for (const [name, service] of Object.entries(doc.services)) {
    for (const [variable, raw] of Object.entries(rawEnvironment(service))) {
      if (raw === undefined) continue;
      if (/PASSWORD|SECRET|PWD/.test(variable) && !required.test(raw)) problems.push(`${name}: ${variable} is not a required variable (\${${variable}:?…}): ${raw}`);
      const password = /^postgres(?:ql)?:\/\/[^:/@]*:([^@]*)@/.exec(raw)?.[1];
      if (password !== undefined && !required.test(password)) problems.push(`${name}: the password in ${variable} is not a required variable: ${password}`);
    }
  }
  return problems;
}

const problemsOf = (doc: ComposeFile) => [
  ...checkSecretsAreRequired(doc),
  ...checkServicesExist(doc),
  ...checkAppsBuildFromDockerfile(doc),
  ...APPS.flatMap((app) => [...checkAppEnvironmentIsComplete(doc, app), ...checkAppEnvironmentValidates(doc, app), ...checkTemporalAddress(doc, app), ...checkDatabaseUrl(doc, app)]),
  ...checkDatabaseUrl(doc, 'migrate'),
  ...checkSharedSettings(doc),
  ...checkSearchAttributeService(doc),
  ...checkStartOrder(doc),
  ...checkImagesPinned(doc),
  ...checkAppHealthchecks(doc),
];

// ---------------------------------------------------------------------------------------------

describe('docker-compose.yml (production topology)', () => {
  const doc = loadCompose();

  it('has PostgreSQL, Temporal, its UI, the one-shot setup services, the API and the worker', () => {
    expect(checkServicesExist(doc)).toEqual([]);
  });

  it('builds api and worker from the Dockerfile at the repository root', () => {
    expect(checkAppsBuildFromDockerfile(doc)).toEqual([]);
  });

  it.each(APPS)('sets every variable %s requires, and only variables it reads', (app) => {
    expect(checkAppEnvironmentIsComplete(doc, app)).toEqual([]);
  });

  it.each(APPS)('gives %s values that pass libs/config validation (defaults and required secrets filled in)', (app) => {
    expect(checkAppEnvironmentValidates(doc, app)).toEqual([]);
    const config = loadConfig(app, resolvedEnvironment(doc.services[app]));
    expect(config.nodeEnv).toBe('production');
    if (app === 'api') expect(config.api.host).toBe('0.0.0.0');
  });

  it.each(APPS)('points %s at the temporal service gRPC port and at the postgresql service', (app) => {
    expect(checkTemporalAddress(doc, app)).toEqual([]);
    expect(checkDatabaseUrl(doc, app)).toEqual([]);
  });

  it('uses one namespace, task queue and database for api, worker, migrations and setup', () => {
    expect(checkSharedSettings(doc)).toEqual([]);
    const [api, worker] = APPS.map((app) => loadConfig(app, resolvedEnvironment(doc.services[app])));
    expect(worker.temporal).toEqual(api.temporal);
  });

  it('registers exactly the search attributes of scripts/lib/temporal.js', () => {
    expect(Object.keys(SEARCH_ATTRIBUTES).length).toBeGreaterThan(0);
    expect(checkSearchAttributeService(doc)).toEqual([]);
  });

  it('orders start-up with conditions Compose can honour', () => {
    expect(checkStartOrder(doc)).toEqual([]);
  });

  it('carries no default secrets: every password and secret must come from the operator', () => {
    expect(checkSecretsAreRequired(doc)).toEqual([]);
    const api = rawEnvironment(doc.services.api);
    expect(api.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/);
  });

  it('pins every upstream image to a version', () => {
    expect(checkImagesPinned(doc)).toEqual([]);
  });

  it('creates the app database in PostgreSQL with an init script mounted into /docker-entrypoint-initdb.d', () => {
    const pg = doc.services[POSTGRES];
    const dir = mountedSource(pg, '/docker-entrypoint-initdb.d');
    expect(dir).toBeDefined();
    const scripts = fs.readdirSync(path.join(ROOT, dir as string)).filter((f) => /\.(sh|sql)$/.test(f));
    expect(scripts.length).toBeGreaterThan(0);
    const text = scripts.map((f) => read(path.join(dir as string, f))).join('\n');
    for (const name of ['APP_DB_NAME', 'APP_DB_USER', 'APP_DB_PASSWORD', 'TEMPORAL_DB_NAME', 'TEMPORAL_VISIBILITY_DB_NAME']) {
      expect(text).toContain(name);
      expect(rawEnvironment(pg)[name]).toBeTruthy();
    }
    expect(text).toMatch(/CREATE DATABASE/);
    expect(pg.volumes?.some((v) => typeof v === 'string' && v.endsWith(':/var/lib/postgresql/data'))).toBe(true);
  });

  it('configures Temporal persistence with the server image variables, matching the init script', () => {
    const temporal = resolvedEnvironment(doc.services[TEMPORAL]);
    const pg = resolvedEnvironment(doc.services[POSTGRES]);
    expect(temporal).toMatchObject({
      DB: 'postgres12',
      DB_PORT: '5432',
      POSTGRES_SEEDS: POSTGRES,
      POSTGRES_USER: pg.TEMPORAL_DB_USER,
      POSTGRES_PWD: pg.TEMPORAL_DB_PASSWORD,
      DBNAME: pg.TEMPORAL_DB_NAME,
      VISIBILITY_DBNAME: pg.TEMPORAL_VISIBILITY_DB_NAME,
      BIND_ON_IP: '0.0.0.0',
    });
    const dynamicConfig = temporal.DYNAMIC_CONFIG_FILE_PATH;
    const source = mountedSource(doc.services[TEMPORAL], dynamicConfig);
    expect(source && fs.existsSync(path.join(ROOT, source))).toBe(true);
    const ui = resolvedEnvironment(doc.services['temporal-ui']);
    expect(hostAndPort(ui.TEMPORAL_ADDRESS)).toEqual({ host: TEMPORAL, port: temporalGrpcPort(doc) });
    expect(ui.TEMPORAL_CORS_ORIGINS).toBe(resolvedEnvironment(doc.services.api).TEMPORAL_UI_URL);
  });

  it('runs entry points the build produces, and checks the health of api and worker with the image\'s check', () => {
    const sourceOf = (file: string) => file.replace(/^dist\//, '').replace(/\.js$/, '.ts');
    for (const name of [...APPS, 'migrate']) {
      const entry = asArray(doc.services[name].command).find((arg) => arg.startsWith('dist/'));
      expect(entry).toBeDefined();
      expect(fs.existsSync(path.join(ROOT, sourceOf(entry as string)))).toBe(true);
    }
    for (const app of APPS) expect(asArray(doc.services[app].healthcheck?.test)).toEqual(['CMD', 'node', HEALTHCHECK_ENTRY, app]);
    expect(sourceExists(HEALTHCHECK_ENTRY)).toBe(true);
    expect(checkAppHealthchecks(doc)).toEqual([]);
  });

  describe('its checks fail on a broken file', () => {
    const broken = (mutate: (d: ComposeFile) => void) => {
      const copy = clone(doc);
      mutate(copy);
      return problemsOf(copy);
    };
    const env = (d: ComposeFile, service: string) => d.services[service].environment as Record<string, string>;

    it('passes as written', () => {
      expect(problemsOf(doc)).toEqual([]);
    });

    it.each<[string, (d: ComposeFile) => void, RegExp]>([
      ['a missing service', (d) => delete d.services['temporal-ui'], /service temporal-ui is missing/],
      ['a default JWT secret', (d) => (env(d, 'api').JWT_SECRET = '${JWT_SECRET:-b8f1c3e95a7d4f60a2e9c1d7b3f5a8e0c4d6f2a9}'), /api: JWT_SECRET is not a required variable/],
      ['a database password in the file', (d) => (env(d, 'worker').DATABASE_URL = 'postgres://rectification:Wq7ZpK2vNf4xLr9T@postgresql:5432/rectification'), /worker: the password in DATABASE_URL is not a required variable/],
      ['a default database password', (d) => (env(d, POSTGRES).APP_DB_PASSWORD = '${APP_DB_PASSWORD:-rectification}'), /postgresql: APP_DB_PASSWORD is not a required variable/],
      ['a worker without DATABASE_URL', (d) => delete env(d, 'worker').DATABASE_URL, /worker does not set DATABASE_URL/],
      ['an api without TEMPORAL_UI_URL', (d) => delete env(d, 'api').TEMPORAL_UI_URL, /api does not set TEMPORAL_UI_URL/],
      ['a misspelt variable', (d) => (env(d, 'api').TEMPORAL_ADRESS = 'temporal:7233'), /TEMPORAL_ADRESS, which libs\/config does not read/],
      ['an invalid port', (d) => (env(d, 'api').API_PORT = 'eighty'), /API_PORT="eighty" must be a TCP port/],
      ['an invalid default', (d) => (env(d, 'worker').TEMPORAL_TASK_QUEUE = '${TEMPORAL_TASK_QUEUE:-has spaces}'), /TEMPORAL_TASK_QUEUE="has spaces"/],
      ['a development NODE_ENV', (d) => (env(d, 'worker').NODE_ENV = 'development'), /worker runs with NODE_ENV=development/],
      ['an API on loopback', (d) => (env(d, 'api').API_HOST = '127.0.0.1'), /api listens on 127.0.0.1/],
      ['the wrong Temporal port', (d) => (env(d, 'worker').TEMPORAL_ADDRESS = 'temporal:7243'), /not the frontend gRPC port 7233/],
      ['another Temporal host', (d) => (env(d, 'api').TEMPORAL_ADDRESS = 'localhost:7233'), /does not name the temporal service/],
      ['another database host', (d) => (env(d, 'api').DATABASE_URL = 'postgres://rectification:pw@db:5432/rectification'), /host db is not the postgresql service/],
      ['a Temporal database for the app', (d) => (env(d, 'worker').DATABASE_URL = 'postgres://rectification:pw@postgresql:5432/temporal'), /points at a Temporal database/],
      ['different task queues', (d) => (env(d, 'worker').TEMPORAL_TASK_QUEUE = 'other-queue'), /differ in TEMPORAL_TASK_QUEUE/],
      ['different namespaces', (d) => (env(d, 'api').TEMPORAL_NAMESPACE = 'other'), /differ in TEMPORAL_NAMESPACE/],
      [
        'a missing search attribute',
        (d) => (env(d, SEARCH_ATTRIBUTE_SERVICE).SEARCH_ATTRIBUTES = 'CountyId=Keyword TownshipId=Keyword BatchYear=Int'),
        /CaseStage=Keyword is not registered/,
      ],
      [
        'a search attribute of the wrong type',
        (d) => (env(d, SEARCH_ATTRIBUTE_SERVICE).SEARCH_ATTRIBUTES = 'CountyId=Keyword TownshipId=Keyword BatchYear=Keyword CaseStage=Keyword'),
        /BatchYear=Int is registered as Keyword/,
      ],
      [
        'an extra search attribute',
        (d) => (env(d, SEARCH_ATTRIBUTE_SERVICE).SEARCH_ATTRIBUTES += ' Extra=Text'),
        /Extra is not in scripts\/lib\/temporal.js/,
      ],
      ['an unhealthy dependency', (d) => delete d.services[TEMPORAL].healthcheck, /has no healthcheck/],
      ['an api that skips migrations', (d) => delete (d.services.api.depends_on as Record<string, unknown>).migrate, /api does not wait for the migrations/],
      ['a latest tag', (d) => (d.services['temporal-ui'].image = 'temporalio/ui:latest'), /temporal-ui uses temporalio\/ui:latest/],
      ['a worker built elsewhere', (d) => (d.services.worker.build = './apps/worker'), /worker builds from .\/apps\/worker/],
      ['a worker without a healthcheck', (d) => delete d.services.worker.healthcheck, /worker has no healthcheck/],
      ['a worker checked as the API', (d) => (d.services.worker.healthcheck = { test: ['CMD', 'node', HEALTHCHECK_ENTRY, 'api'] }), /worker's healthcheck does not check the worker role/],
      ['an inline API check', (d) => (d.services.api.healthcheck = { test: ['CMD', 'node', '-e', "fetch('http://127.0.0.1:3000/api/health')"] }), /api's healthcheck runs CMD node -e/],
    ])('%s', (_what, mutate, expected) => {
      const problems = broken(mutate);
      expect(problems.join('\n')).toMatch(expected);
    });
  });
});

describe('compose interpolation as this test reads it', () => {
  const required = (name: string) => `<${name}>`;
  it.each([
    ['${X:-d}', {}, 'd'],
    ['${X:-d}', { X: '' }, 'd'],
    ['${X-d}', { X: '' }, ''],
    ['${X:-d}', { X: 'v' }, 'v'],
    ['a${X:?need X}b', {}, 'a<X>b'],
    ['${X:?need X}', { X: 'v' }, 'v'],
    ['${X:+alt}', { X: 'v' }, 'alt'],
    ['$$X', {}, '$X'],
    ['$X/${Y}', { X: 'x', Y: 'y' }, 'x/y'],
  ])('%s with %j gives %s', (template, set, expected) => {
    expect(interpolate(template, required, set)).toBe(expected);
  });
});

describe('Dockerfile', () => {
  const text = read('Dockerfile');

  it(`is multi-stage on node:${NODE_LTS_MAJOR} bookworm-slim (the current LTS), installs with npm ci, builds dist, prunes, runs as a non-root user with a HEALTHCHECK`, () => {
    expect(checkDockerfile(text)).toEqual([]);
  });

  it('runs the same Node.js major line as scripts/test-on-node-lts.js tests on', () => {
    const { NODE_LTS } = require('../../scripts/test-on-node-lts') as { NODE_LTS: string };
    expect(NODE_LTS).toBe(`node@${NODE_LTS_MAJOR}`);
  });

  it.each<[string, (t: string) => string, RegExp]>([
    ['no USER', (t) => t.replace(/^USER .*$/gm, ''), /sets no USER/],
    ['USER root', (t) => t.replace(/^USER .*$/gm, 'USER root'), /runs as root/],
    ['no compilation', (t) => t.replace(/npx tsc -p tsconfig\.build\.json/g, 'true'), /does not compile/],
    ['an unpinned base image', (t) => t.replace(/node:24\.\d+-bookworm-slim/g, 'node:lts'), /base image node:lts/],
    ['the old Node 20', (t) => t.replace(/node:24\.\d+-bookworm-slim/g, 'node:20.20-bookworm-slim'), /base image node:20\.20-bookworm-slim is not node:24/],
    ['no HEALTHCHECK', (t) => t.replace(/^HEALTHCHECK[^\n]*\\\n[^\n]*$/gm, ''), /has no HEALTHCHECK/],
    ['HEALTHCHECK NONE', (t) => t.replace(/^HEALTHCHECK[^\n]*\\\n[^\n]*$/gm, 'HEALTHCHECK NONE'), /has no HEALTHCHECK/],
    ['a HEALTHCHECK of a file the build lacks', (t) => t.replace(/dist\/libs\/health\/healthcheck\.js"/g, 'dist/healthz.js"'), /runs dist\/healthz\.js, which the build does not produce/],
    ['no pruning', (t) => t.replace(/npm prune --omit=dev/g, 'true'), /does not drop the dev dependencies/],
  ])('its check notices %s', (_what, mutate, expected) => {
    expect(checkDockerfile(mutate(text)).join('\n')).toMatch(expected);
  });

  it('leaves local state, builds and secrets out of the build context', () => {
    const ignored = read('.dockerignore')
      .split(/\r?\n/)
      .map((l) => l.trim());
    for (const entry of ['node_modules', 'dist', '.data', '.tools', '.git', 'coverage', '.env']) expect(ignored).toContain(entry);
  });
});

// ---------------------------------------------------------------------------------------------
// The prometheus service (README, Operations): it scrapes the ports the API, the worker and the
// Temporal server serve their metrics on, over the compose network, and none of them is published.

interface ScrapeConfig {
  job_name: string;
  static_configs?: { targets?: string[] }[];
}
const PROMETHEUS = 'prometheus';
const PROMETHEUS_CONFIG = 'deploy/prometheus/prometheus.yml';
const GRAFANA_DASHBOARD = 'deploy/grafana/rectification-programme.json';

/** Where each job of the Prometheus config must find its target, from the services' own settings. */
function expectedScrapeTargets(doc: ComposeFile): Record<string, string> {
  const api = resolvedEnvironment(doc.services.api);
  const worker = resolvedEnvironment(doc.services.worker);
  const temporal = resolvedEnvironment(doc.services[TEMPORAL]);
  return {
    api: `api:${api.METRICS_PORT}`,
    worker: `worker:${worker.WORKER_METRICS_PORT}`,
    temporal: `${TEMPORAL}:${hostAndPort(temporal.PROMETHEUS_ENDPOINT ?? '').port}`,
  };
}

function checkPrometheus(doc: ComposeFile, configText: string): string[] {
  const problems: string[] = [];
  const service = doc.services[PROMETHEUS];
  if (!service) return [`service ${PROMETHEUS} is missing`];
  const configFlag = asArray(service.command).find((a) => a.startsWith('--config.file='))?.slice('--config.file='.length);
  if (!configFlag) problems.push(`${PROMETHEUS} names no --config.file`);
  else if (mountedSource(service, configFlag)?.replace(/^\.\//, '') !== PROMETHEUS_CONFIG) problems.push(`${PROMETHEUS} does not mount ${PROMETHEUS_CONFIG} at ${configFlag}`);
  const jobs = ((parse(configText) as { scrape_configs?: ScrapeConfig[] }).scrape_configs ?? []).map((j) => [j.job_name, (j.static_configs ?? []).flatMap((s) => s.targets ?? [])] as const);
  for (const [job, target] of Object.entries(expectedScrapeTargets(doc))) {
    const targets = jobs.find(([name]) => name === job)?.[1];
    if (!targets) problems.push(`${PROMETHEUS_CONFIG} has no job ${job}`);
    else if (!targets.includes(target)) problems.push(`${PROMETHEUS_CONFIG} job ${job} scrapes ${targets.join(', ')}, not ${target}`);
  }
  for (const app of APPS) {
    const env = resolvedEnvironment(doc.services[app]);
    if (env.METRICS_HOST !== '0.0.0.0') problems.push(`${app} serves its metrics on ${env.METRICS_HOST ?? '127.0.0.1 (the default)'}, out of the prometheus service's reach`);
    const port = app === 'api' ? env.METRICS_PORT : env.WORKER_METRICS_PORT;
    const published = ((doc.services[app] as Service & { ports?: string[] }).ports ?? []).some((p) => String(p).split(':').pop() === port);
    if (published) problems.push(`${app} publishes its metrics port ${port}: keep it on the compose network`);
  }
  return problems;
}

describe('the prometheus service of docker-compose.yml', () => {
  const doc = loadCompose();
  const configText = read(PROMETHEUS_CONFIG);

  it('scrapes the API, the worker and the Temporal server where they serve metrics, none of them published', () => {
    expect(checkPrometheus(doc, configText)).toEqual([]);
    expect(doc.services[PROMETHEUS].image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
  });

  it.each<[string, (d: ComposeFile) => void, (t: string) => string, RegExp]>([
    ['no prometheus service', (d) => delete d.services[PROMETHEUS], (t) => t, /service prometheus is missing/],
    ['a worker port the config does not scrape', (d) => ((d.services.worker.environment as Record<string, string>).WORKER_METRICS_PORT = '9999'), (t) => t, /job worker scrapes worker:9465, not worker:9999/],
    ['no Temporal server job', (d) => d, (t) => t.replace(/job_name: temporal/, 'job_name: temporal-server'), /has no job temporal/],
    ['API metrics on loopback only', (d) => ((d.services.api.environment as Record<string, string>).METRICS_HOST = '127.0.0.1'), (t) => t, /api serves its metrics on 127\.0\.0\.1/],
    ['a published metrics port', (d) => ((d.services.api as Service & { ports?: string[] }).ports = ['127.0.0.1:3000:3000', '0.0.0.0:9464:9464']), (t) => t, /api publishes its metrics port 9464/],
  ])('its check notices %s', (_what, mutateDoc, mutateText, expected) => {
    const copy = clone(doc);
    mutateDoc(copy);
    expect(checkPrometheus(copy, mutateText(configText)).join('\n')).toMatch(expected);
  });

  it("has a Grafana dashboard whose queries use only metrics the API exports or the worker's Temporal SDK", () => {
    const dashboard = JSON.parse(read(GRAFANA_DASHBOARD)) as { panels: { targets: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(5);
    const apiMetrics = read('apps/api/src/observability/api-metrics.ts');
    const names = new Set(exprs.flatMap((e) => e.match(/\b(rectification_[a-z_]+|http_request_duration_seconds)/g) ?? []));
    for (const name of names) expect(apiMetrics).toContain(`name: '${name}'`);
    for (const gauge of ['rectification_cases', 'rectification_overdue_deadlines', 'rectification_open_escalations', 'rectification_deliveries']) expect(names).toContain(gauge);
    // A case's sync and a channel's digest sends are local activities: their latency is a histogram of its own.
    expect(exprs.some((e) => e.includes('temporal_local_activity_execution_latency_bucket'))).toBe(true);
  });
});
