import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * The most texts a process (the API, the worker) names: each named text stays prepared on every pooled
 * connection that ran it, so the texts a request's filters can shape (the task list's) must not grow that
 * without bound. Texts beyond
 * it run unnamed — parsed and planned each time, as any other statement.
 */
export const MAX_NAMED_STATEMENTS = 100;

/** Statement names by text: a text is hashed once, not on every request. */
const names = new Map<string, string>();

function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= MAX_NAMED_STATEMENTS) return undefined;
    name = `stmt-${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * A statement sent as a named prepared statement, named by its text, straight to the pool: each pooled
 * connection parses and plans it once, then only binds it (PostgreSQL keeps a generic plan when it costs no
 * more than the custom ones). For the statements every request or every dashboard sends (the sign-in, the
 * dashboards' figures, the task list) and every change of a case writes (its projection); their texts differ by the kind of scope and the list's filters, so
 * there are a few per connection, and never more than MAX_NAMED_STATEMENTS.
 */
export async function preparedQuery<R>(dataSource: DataSource, text: string, values: unknown[]): Promise<R[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const name = statementName(text);
  return (await pool.query(name === undefined ? { text, values } : { name, text, values })).rows as R[];
}
