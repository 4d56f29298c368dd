import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/**
 * Data source for the TypeORM CLI (`npm run migration:run`): the same options as the apps, with
 * DATABASE_URL from the environment.
 */
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  throw new Error('DATABASE_URL is required (PostgreSQL connection URL)');
}

export default new DataSource(dataSourceOptions(databaseUrl));
