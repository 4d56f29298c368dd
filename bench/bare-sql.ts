import type { Pool, QueryConfig } from 'pg';
import { DataSource, type Logger } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { AuthUser } from '../apps/api/src/auth/auth-user';
import { DashboardReadModel } from '../apps/api/src/dashboard/dashboard-read-model';
import { DashboardService } from '../apps/api/src/dashboard/dashboard.service';
import type { DashboardQuery } from '../apps/api/src/dashboard/dto/dashboard.query';
import { ScopeService } from '../apps/api/src/scope/scope.service';
import type { TemporalClientService } from '../apps/api/src/temporal/temporal.module';
import { dataSourceOptions, OrganizationEntity, RectificationCaseEntity, RegionEntity, StarRatingEntity, TaskEntity } from '../libs/persistence';
import { percentiles } from './report';

/**
 * The county dashboard's bare SQL (issue 17: the overview at most 3 × the SQL of its figures). The
 * overview's own code (DashboardService, without the Nest app) runs once against a data source that
 * records every statement it sends (through TypeORM, and the named prepared statements sent to its pool
 * directly); those statements, with their parameters, are then timed on their own as the overview sends
 * them — the scope look-up, then the others side by side — under the same concurrency and on a pool of
 * the API's size. What lies between the two: the HTTP request, the token and user checks, the
 * figures assembled in JavaScript, the JSON answer and the listing of abnormal runs from Temporal.
 */

type Statement = [sql: string, parameters: unknown[]];

/** Records the statements sent while `statements` is set. */
class StatementRecorder implements Logger {
  statements: Statement[] | null = null;
  logQuery(query: string, parameters?: unknown[]): void {
    this.statements?.push([query, parameters ?? []]);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** The county organization department's user as the API would load it (apps/api/src/auth/auth.service.ts). */
export function countyUser(id: string, countyId: string): AuthUser {
  return { id, username: `bench-${id}`, name: '组织部', title: '组织科长', role: 'county_org_admin', regionId: countyId, regionLevel: 'county', countyId, townshipId: null, villageId: null, mustChangePassword: false };
}

/** The statements one county overview sends (`GET /api/dashboard/overview?batchYear=`), recorded from its own code. */
export async function overviewStatements(databaseUrl: string, user: AuthUser, batchYear: number): Promise<Statement[]> {
  const recorder = new StatementRecorder();
  const ds = new DataSource({ ...dataSourceOptions(databaseUrl), logger: recorder });
  await ds.initialize();
  // The dashboard's prepared statements (apps/api/src/common/prepared-query.ts) go to the pool itself, past TypeORM's logger.
  const pool = (ds.driver as PostgresDriver).master as Pool;
  const poolQuery = pool.query.bind(pool) as (config: QueryConfig) => Promise<unknown>;
  (pool as unknown as { query: (config: QueryConfig) => Promise<unknown> }).query = (config: QueryConfig) => {
    recorder.statements?.push([config.text, config.values ?? []]);
    return poolQuery(config);
  };
  try {
    const scopes = new ScopeService(
      ds.getRepository(RectificationCaseEntity),
      ds.getRepository(OrganizationEntity),
      ds.getRepository(TaskEntity),
      ds.getRepository(StarRatingEntity),
      ds.getRepository(RegionEntity),
    );
    // The abnormal runs come from Temporal's visibility, not SQL: without a client the overview lists none.
    const noTemporal = {
      get client(): never {
        throw new Error('the bare SQL has no Temporal');
      },
    } as unknown as TemporalClientService;
    const service = new DashboardService(ds, new DashboardReadModel(ds, scopes), noTemporal);
    recorder.statements = [];
    const overview = await service.overview(user, { batchYear } as DashboardQuery);
    const statements = recorder.statements;
    recorder.statements = null;
    if (overview.total === 0) throw new Error('the recorded overview has no cases: the bare SQL would time an empty county');
    return statements;
  } finally {
    await ds.destroy();
  }
}

/**
 * `connections` clients each send the statements as the overview does (the first, then the rest side by
 * side), again and again, for `seconds`; a request's time is the whole sequence's. Exact percentiles over every request.
 */
export async function timeStatements(databaseUrl: string, statements: Statement[], connections: number, seconds: number): Promise<{ requests: number; requestsPerSecond: number; p50Ms: number; p95Ms: number; p99Ms: number }> {
  const ds = new DataSource(dataSourceOptions(databaseUrl));
  await ds.initialize();
  try {
    const times: number[] = [];
    const t0 = performance.now();
    const until = t0 + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < until) {
          const start = performance.now();
          const [first, ...rest] = statements;
          await ds.query(...first);
          await Promise.all(rest.map(([sql, parameters]) => ds.query(sql, parameters)));
          times.push(performance.now() - start);
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    const p = percentiles(times, [50, 95, 99]);
    const r = (x: number) => Math.round(x * 10) / 10;
    return { requests: times.length, requestsPerSecond: r(times.length / elapsed), p50Ms: r(p[50]), p95Ms: r(p[95]), p99Ms: r(p[99]) };
  } finally {
    await ds.destroy();
  }
}
