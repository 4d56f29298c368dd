import type { TestStack } from './global-setup';

const postgres = require('../../scripts/lib/postgres');

/** Drops the run's database and stops whatever global setup started. */
export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { __testStack?: TestStack }).__testStack;
  if (!stack) return;
  await stack.stopTemporal();
  try {
    await postgres.dropDatabase(stack.adminUrl, stack.databaseName);
  } finally {
    stack.stopPostgres?.();
  }
}
