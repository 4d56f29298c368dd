import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** Statement names by text: a text is hashed once, not on every request. */
const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `stmt-${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * A statement sent as a named prepared statement, named by its text, straight to the pool: each pooled
 * connection parses and plans it once, then only binds it (PostgreSQL keeps a generic plan when it costs no
 * more than the custom ones). For the statements every request or every dashboard sends (the sign-in, the
 * dashboards' figures); their texts differ only by the kind of scope, so there are a few per connection.
 */
export async function preparedQuery<R>(dataSource: DataSource, text: string, values: unknown[]): Promise<R[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  return (await pool.query({ name: statementName(text), text, values })).rows as R[];
}
