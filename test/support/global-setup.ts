/**
 * Starts what the suite needs, once per run: a fresh PostgreSQL database (migrated), an in-memory
 * Temporal dev server with the case search attributes, and the time-skipping test server wrapper.
 * Everything is handed to the test workers through environment variables and stopped in teardown.
 */
import { createReadyDatabase } from './own-database';

const postgres = require('../../scripts/lib/postgres');
const temporal = require('../../scripts/lib/temporal');
const testServer = require('../../scripts/lib/test-server');

export interface TestStack {
  stopPostgres?: () => void;
  stopTemporal: () => Promise<void>;
  adminUrl: string;
  databaseName: string;
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const timeSkippingServer: string = await testServer.ensureTestServer();

  let adminUrl: string;
  let stopPostgres: (() => void) | undefined;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const cluster = await postgres.startProjectCluster();
    adminUrl = cluster.url;
    if (cluster.startedHere) stopPostgres = cluster.stop;
  }
  const databaseName = `rectification_test_${Date.now()}_${process.pid}`;
  const databaseUrl = await createReadyDatabase(adminUrl, databaseName);

  const dev = await temporal.startDevServer({ ui: false, logName: 'temporal-test' });

  process.env.DATABASE_URL = databaseUrl;
  process.env.TEMPORAL_ADDRESS = dev.address;
  process.env.TEMPORAL_TEST_SERVER_PATH = timeSkippingServer;
  process.env.NODE_ENV = 'test';
  // Cheap hashes for the many users tests create; production keeps the slow default.
  process.env.PASSWORD_HASH_ROUNDS = '4';
  // The local webhook receiver (test/support/webhook-receiver.ts) is plain http on 127.0.0.1.
  process.env.OUTBOUND_ALLOW = 'http://127.0.0.1:*';

  const stack: TestStack = { stopPostgres, stopTemporal: dev.stop, adminUrl, databaseName };
  (globalThis as { __testStack?: TestStack }).__testStack = stack;
  console.log(`\n[test] PostgreSQL database ${databaseName}, Temporal dev server ${dev.address}, ready in ${Date.now() - started} ms`);
}
