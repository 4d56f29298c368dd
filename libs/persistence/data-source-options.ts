import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** How the API's and the worker's connections name themselves to PostgreSQL (pg_stat_activity.application_name). */
export const API_DATABASE_APPLICATION_NAME = 'rectification-api';
export const WORKER_DATABASE_APPLICATION_NAME = 'rectification-worker';

/** The one TypeORM configuration, shared by the TypeORM CLI, the API, the worker and the tests. */
export function dataSourceOptions(databaseUrl: string, overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    // Schema changes go through migrations only.
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'warn'],
    extra: { max: 10 },
    ...overrides,
  } as DataSourceOptions;
}
