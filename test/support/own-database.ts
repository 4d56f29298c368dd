import { DataSource } from 'typeorm';
import { loadStatutoryCalendar } from '../../libs/calendar';
import { dataSourceOptions } from '../../libs/persistence';
import { runMigrations } from '../../libs/persistence/migrate';

const postgres: {
  ensureDatabase(adminUrl: string, name: string): Promise<void>;
  dropDatabase(adminUrl: string, name: string): Promise<void>;
  withDatabase(url: string, name: string): string;
} = require('../../scripts/lib/postgres');

/**
 * Creates the database `name` on the server of `adminUrl`, migrated and holding China's statutory calendar
 * as the worker loads it at start-up, and returns its URL: the run's database (global-setup.ts), and one of
 * a test file's own where what it changes (the one working calendar of every county) must not reach the
 * other files running meanwhile.
 */
export async function createReadyDatabase(adminUrl: string, name: string): Promise<string> {
  await postgres.ensureDatabase(adminUrl, name);
  const databaseUrl = postgres.withDatabase(adminUrl, name);
  await runMigrations(databaseUrl);
  const ds = new DataSource(dataSourceOptions(databaseUrl));
  await ds.initialize();
  try {
    await loadStatutoryCalendar(ds);
  } finally {
    await ds.destroy();
  }
  return databaseUrl;
}

/**
 * Runs `fn` on an empty database of its own beside the run's (named `prefix` and the time), dropped after:
 * for the migrations themselves.
 */
export async function withOwnDatabase(prefix: string, fn: (ds: DataSource) => Promise<void>): Promise<void> {
  const name = `${prefix}_${Date.now()}`;
  const adminUrl = process.env.DATABASE_URL as string;
  await postgres.ensureDatabase(adminUrl, name);
  const ds = new DataSource(dataSourceOptions(postgres.withDatabase(adminUrl, name)));
  await ds.initialize();
  try {
    await fn(ds);
  } finally {
    await ds.destroy();
    await postgres.dropDatabase(adminUrl, name);
  }
}

/** Drops a database made by `createReadyDatabase`. */
export function dropDatabase(adminUrl: string, name: string): Promise<void> {
  return postgres.dropDatabase(adminUrl, name);
}
