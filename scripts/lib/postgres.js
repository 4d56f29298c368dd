// @ts-check
'use strict';
/**
 * The project's own PostgreSQL cluster, used when DATABASE_URL is not set: the machine's server
 * binaries (installed with apt-get where missing), a data folder under .data/, a free loopback port.
 */
const fs = require('node:fs');
const path = require('node:path');
const { log, run, capture, which, freePort, isPortOpen, isAlive } = require('./proc');
const { PG_DATA_DIR, DATA_DIR, LOG_DIR } = require('./paths');

const DB_USER = 'rectification';
const DB_PASSWORD = 'rectification';
const DB_NAME = 'rectification';
const PORT_FILE = path.join(DATA_DIR, 'postgres.port');

/**
 * Where the server's own files live (cluster, socket, log). Normally .data/ in the checkout; but as root
 * the server runs as "postgres", which cannot enter a checkout under a private directory (mktemp -d,
 * a home folder with mode 700): then they live in /var/tmp/rectification-postgres/<hash of the data
 * folder> instead — stable across restarts, so the cluster keeps its data.
 */
function serverFilesDir() {
  const user = serverUser();
  if (!user) return DATA_DIR;
  const reachable = require('node:child_process').spawnSync('runuser', ['-u', user, '--', 'test', '-x', path.dirname(DATA_DIR)]).status === 0;
  if (reachable) return DATA_DIR;
  const hash = require('node:crypto').createHash('sha1').update(DATA_DIR).digest('hex').slice(0, 12);
  const dir = path.join('/var/tmp/rectification-postgres', hash);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync('/var/tmp/rectification-postgres', 0o755);
  return dir;
}

function serverPaths() {
  const dir = serverFilesDir();
  return {
    pgData: dir === DATA_DIR ? PG_DATA_DIR : path.join(dir, 'postgres'),
    socket: path.join(dir, 'postgres-socket'),
    log: dir === DATA_DIR ? path.join(LOG_DIR, 'postgres.log') : path.join(dir, 'postgres.log'),
    pwFile: path.join(dir, '.pgpass-init'),
  };
}

/** Finds the directory holding initdb, pg_ctl and postgres. @returns {string | undefined} */
function findServerBinDir() {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv && fs.existsSync(path.join(fromEnv, 'pg_ctl'))) return fromEnv;
  const pgConfig = capture('pg_config', ['--bindir']);
  if (pgConfig && fs.existsSync(path.join(pgConfig, 'pg_ctl')) && fs.existsSync(path.join(pgConfig, 'initdb'))) return pgConfig;
  const base = '/usr/lib/postgresql';
  if (fs.existsSync(base)) {
    const versions = fs
      .readdirSync(base)
      .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return path.join(base, versions[0], 'bin');
  }
  const onPath = which('pg_ctl');
  if (onPath && which('initdb') && which('postgres')) return path.dirname(fs.realpathSync(onPath));
  return undefined;
}

/** Installs the PostgreSQL server with apt-get if its binaries are missing. */
function ensurePostgresBinaries() {
  let dir = findServerBinDir();
  if (dir) return dir;
  log('PostgreSQL server binaries not found: installing them with apt-get (postgresql)');
  const asRoot = process.getuid && process.getuid() === 0 ? [] : ['sudo'];
  const apt = (/** @type {string[]} */ args) =>
    asRoot.length ? run('sudo', ['apt-get', ...args]) : run('apt-get', args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  apt(['update']);
  apt(['install', '-y', '--no-install-recommends', 'postgresql']);
  dir = findServerBinDir();
  if (!dir) throw new Error('PostgreSQL was installed but initdb/pg_ctl cannot be found; set PG_BIN_DIR');
  return dir;
}

/** PostgreSQL refuses to run as root: as root, run the server as the "postgres" system user. */
function serverUser() {
  if (!process.getuid || process.getuid() !== 0) return undefined;
  if (capture('id', ['-u', 'postgres']) === undefined) {
    log('creating the "postgres" system user to run the database server (it refuses to run as root)');
    run('useradd', ['--system', '--user-group', '--home-dir', PG_DATA_DIR, '--shell', '/bin/sh', 'postgres']);
  }
  return 'postgres';
}

/** @param {string} bin @param {string[]} args @param {import('node:child_process').SpawnSyncOptions} [opts] */
function runAsServerUser(bin, args, opts) {
  const user = serverUser();
  if (user) return run('runuser', ['-u', user, '--', bin, ...args], opts);
  return run(bin, args, opts);
}

/** @param {string} dir */
function chownToServerUser(dir) {
  const user = serverUser();
  if (user) run('chown', ['-R', `${user}:`, dir]);
}

function readPort() {
  try {
    const n = Number(fs.readFileSync(PORT_FILE, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** @param {string} binDir @param {string} PG_DATA_DIR */
function isRunning(binDir, PG_DATA_DIR) {
  if (!fs.existsSync(path.join(PG_DATA_DIR, 'PG_VERSION'))) return false;
  // pg_ctl refuses to run as root, status included.
  const user = serverUser();
  const cmd = user ? ['runuser', ['-u', user, '--', path.join(binDir, 'pg_ctl'), 'status', '-D', PG_DATA_DIR]] : [path.join(binDir, 'pg_ctl'), ['status', '-D', PG_DATA_DIR]];
  const res = require('node:child_process').spawnSync(/** @type {string} */ (cmd[0]), /** @type {string[]} */ (cmd[1]), { encoding: 'utf8' });
  return res.status === 0;
}

/** @param {number} port */
function urlFor(port, database = DB_NAME) {
  return `postgres://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** Creates a cluster (initdb) owned by the server user, with the project's user and password. @param {string} binDir @param {string} pgData @param {string} pwFile */
function initCluster(binDir, pgData, pwFile) {
  log(`creating a PostgreSQL cluster in ${path.relative(process.cwd(), pgData) || pgData}`);
  fs.mkdirSync(pgData, { recursive: true });
  chownToServerUser(pgData);
  fs.writeFileSync(pwFile, `${DB_PASSWORD}\n`, { mode: 0o644 });
  try {
    runAsServerUser(path.join(binDir, 'initdb'), [
      '-D', pgData,
      '-U', DB_USER,
      `--pwfile=${pwFile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
    ], { stdio: ['ignore', 'ignore', 'inherit'] });
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
}

/**
 * Starts the project's cluster (creating it on first use) and returns its URL. If it is already
 * running (from `npm start`), it is reused and `startedHere` is false, so the caller leaves it running.
 * @returns {Promise<{ url: string, port: number, startedHere: boolean, stop: () => void }>}
 */
async function startProjectCluster() {
  const binDir = ensurePostgresBinaries();
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const { pgData: PG_DATA_DIR, socket: SOCKET_DIR, log: logFile, pwFile } = serverPaths();

  if (!fs.existsSync(path.join(PG_DATA_DIR, 'PG_VERSION'))) initCluster(binDir, PG_DATA_DIR, pwFile);

  const stop = () => {
    runAsServerUser(path.join(binDir, 'pg_ctl'), ['stop', '-D', PG_DATA_DIR, '-m', 'fast', '-w'], { stdio: 'ignore' });
  };

  if (isRunning(binDir, PG_DATA_DIR)) {
    const port = readPort();
    if (port && (await isPortOpen(port))) {
      return { url: urlFor(port), port, startedHere: false, stop };
    }
    stop();
  }

  let port = readPort();
  if (!port || (await isPortOpen(port))) port = await freePort();
  fs.writeFileSync(PORT_FILE, String(port));
  fs.mkdirSync(SOCKET_DIR, { recursive: true });
  chownToServerUser(SOCKET_DIR);
  fs.writeFileSync(logFile, '', { flag: 'a' });
  chownToServerUser(logFile);
  log(`starting PostgreSQL on 127.0.0.1:${port}`);
  runAsServerUser(path.join(binDir, 'pg_ctl'), [
    'start', '-D', PG_DATA_DIR, '-w', '-t', '60', '-l', logFile,
    '-o', `-p ${port} -k ${SOCKET_DIR} -c listen_addresses=127.0.0.1 -c max_connections=200`,
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
  await ensureDatabase(urlFor(port, 'postgres'), DB_NAME);
  return { url: urlFor(port), port, startedHere: true, stop };
}

/**
 * A throwaway cluster beside the project's (same binaries, user and password; its own folder, port and
 * log), for tests that crash and restart PostgreSQL (test/faults) without touching the cluster every
 * other test uses. One per process (`postgres-<prefix>-<pid>`, initdb takes about a second), so runs
 * side by side never stop each other's; clusters of processes that are gone (an aborted run) are
 * stopped and deleted first. `stop(mode)` takes pg_ctl's shutdown mode ('immediate' is a crash: no
 * checkpoint, recovery at the next start); `start()` brings it back on the same port; `remove()`
 * stops it and deletes its folder.
 * @param {string} prefix a folder-safe name
 * @returns {Promise<{ url: string, port: number, logFile: string, start: () => void, stop: (mode?: 'smart' | 'fast' | 'immediate') => void, remove: () => void }>}
 */
async function startDedicatedCluster(prefix) {
  const binDir = ensurePostgresBinaries();
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const base = serverFilesDir();
  const pgCtl = path.join(binDir, 'pg_ctl');
  const clusterAt = (/** @type {string} */ dir) => {
    const pgData = path.join(dir, 'data');
    /** @param {'smart' | 'fast' | 'immediate'} mode */
    const stop = (mode = 'fast') => {
      if (isRunning(binDir, pgData)) runAsServerUser(pgCtl, ['stop', '-D', pgData, '-m', mode, '-w', '-t', '60'], { stdio: 'ignore' });
    };
    const remove = () => {
      stop('immediate');
      fs.rmSync(dir, { recursive: true, force: true });
    };
    return { pgData, stop, remove };
  };
  for (const entry of fs.readdirSync(base)) {
    const owner = new RegExp(`^postgres-${prefix}-(\\d+)$`).exec(entry);
    if (owner && Number(owner[1]) !== process.pid && !isAlive(Number(owner[1]))) clusterAt(path.join(base, entry)).remove();
  }

  const dir = path.join(base, `postgres-${prefix}-${process.pid}`);
  const { pgData, stop, remove } = clusterAt(dir);
  const socketDir = path.join(dir, 'socket');
  const logFile = path.join(dir, 'postgres.log');
  remove();
  fs.mkdirSync(socketDir, { recursive: true });
  chownToServerUser(dir);
  initCluster(binDir, pgData, path.join(dir, '.pgpass-init'));
  const port = await freePort();
  const start = () => {
    runAsServerUser(pgCtl, [
      'start', '-D', pgData, '-w', '-t', '60', '-l', logFile,
      '-o', `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c max_connections=100`,
    ], { stdio: ['ignore', 'ignore', 'inherit'] });
  };
  start();
  return { url: urlFor(port), port, logFile, pgData, start, stop, remove };
}

/** Creates a database if it does not exist. @param {string} adminUrl @param {string} name */
async function ensureDatabase(adminUrl, name) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** @param {string} url @param {string} database */
function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** @param {string} adminUrl @param {string} name */
async function dropDatabase(adminUrl, name) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

module.exports = { startProjectCluster, startDedicatedCluster, ensurePostgresBinaries, ensureDatabase, dropDatabase, withDatabase };
