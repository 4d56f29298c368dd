import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/bootstrap';
import { createCaseWorker, type CaseWorkerOptions } from '../../apps/worker/src/create-worker';
import { loadConfig, type AppConfig } from '../../libs/config';
import { caseIdFor, DEFAULT_POLICY, type Actor, type Designation } from '../../libs/domain';
import { dataSourceOptions, OrganizationEntity, RegionEntity } from '../../libs/persistence';
import { TemporalClientConnection } from '../../libs/temporal';

/** Keep the SDK's info logs out of the test output; warnings and errors still show. */
export function quietTemporalRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed in this test file's process.
  }
}
quietTemporalRuntime();

/** Config for one test file: the run's database and dev server, and a task queue of its own. */
export function testConfig(overrides: Partial<NodeJS.ProcessEnv> = {}): AppConfig {
  return loadConfig('api', {
    ...process.env,
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    // The in-process API's access log stays out of the test output (errors still show); TEST_LOG_LEVEL=info to see it.
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    ...overrides,
  });
}

export interface Harness {
  config: AppConfig;
  app: INestApplication;
  dataSource: DataSource;
  client: Client;
  worker: Worker;
  close(): Promise<void>;
}

/**
 * The API (exactly as main.ts configures it) and a worker, both against the real PostgreSQL and
 * Temporal dev server of the run.
 */
export async function startHarness(config: AppConfig = testConfig(), workerOptions: Pick<CaseWorkerOptions, 'tracing'> = {}): Promise<Harness> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  configureApp(app);
  await app.init();

  const dataSource = new DataSource(dataSourceOptions(config.databaseUrl));
  await dataSource.initialize();
  const nativeConnection = await NativeConnection.connect({ address: config.temporal.address, grpcCompression: { codec: config.temporal.workerGrpcCompression } });
  const workerConnection = await TemporalClientConnection.connect({ address: config.temporal.address });
  const worker = await createCaseWorker({
    connection: nativeConnection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    dataSource,
    client: new Client({ connection: workerConnection.connection, namespace: config.temporal.namespace }),
    outboundAllow: config.outbound.allow,
    ...workerOptions,
  });
  const connection = await TemporalClientConnection.connect({ address: config.temporal.address });
  const client = new Client({ connection: connection.connection, namespace: config.temporal.namespace });
  const running = worker.run();

  return {
    config,
    app,
    dataSource,
    client,
    worker,
    async close() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await Promise.all([workerConnection.close(), connection.close()]);
      await app.close();
      await dataSource.destroy();
    },
  };
}

/**
 * The PostgreSQL sessions (pids) of this test file's API, noted as its pool hands its connections out from
 * now on until `stop`. Other test files' APIs and workers use the same database meanwhile, under the same
 * application_name: a question about the API's sessions in pg_stat_activity or pg_locks asks about these.
 */
export function noteApiSessions(app: INestApplication): { pids(): number[]; stop(): void } {
  const pool = (app.get(DataSource).driver as PostgresDriver).master as Pool;
  const pids = new Set<number>();
  const note = (client: PoolClient) => pids.add((client as PoolClient & { processID: number }).processID);
  pool.on('acquire', note);
  return { pids: () => [...pids], stop: () => pool.off('acquire', note) };
}

/** Saves a region below its parent, with its materialized path. */
async function saveRegion(ds: DataSource, code: string, name: string, level: RegionEntity['level'], parent: RegionEntity | null): Promise<RegionEntity> {
  const regions = ds.getRepository(RegionEntity);
  const r = await regions.save(regions.create({ code, name, level, parentId: parent?.id ?? null, path: '' }));
  r.path = `${parent?.path ?? '/'}${r.id}/`;
  return regions.save(r);
}

async function saveVillageOrganization(ds: DataSource, code: string, name: string, village: RegionEntity, township: RegionEntity, county: RegionEntity) {
  const orgs = ds.getRepository(OrganizationEntity);
  return orgs.save(
    orgs.create({ code, name, domain: 'village', regionId: village.id, townshipId: township.id, countyId: county.id, secretaryName: null }),
  );
}

/** A county with one township and some villages, with an organization in each; unique codes per call. */
export async function createRegionWithOrganizations(ds: DataSource, villages = 3) {
  const tag = randomUUID().slice(0, 8);
  const county = await saveRegion(ds, `C${tag}`, `测试县${tag}`, 'county', null);
  const township = await saveRegion(ds, `T${tag}`, `测试镇${tag}`, 'township', county);
  const organizations: OrganizationEntity[] = [];
  for (let i = 1; i <= villages; i++) {
    const village = await saveRegion(ds, `V${tag}${i}`, `测试${i}村`, 'village', township);
    organizations.push(await saveVillageOrganization(ds, `O${tag}${i}`, `测试${i}村党支部`, village, township, county));
  }
  return { county, township, organizations };
}

/** A hand designation of an organization (C4, the default policy) made now by `designatedBy`, for startRectifyCase. */
export function designationOf(org: OrganizationEntity, batchYear: number, designatedBy: Actor): Designation {
  return {
    caseId: caseIdFor(org.id, batchYear),
    organization: { id: org.id, name: org.name, townshipId: org.townshipId, countyId: org.countyId },
    batchYear,
    reasons: ['C4'],
    note: '组织生活不正常，长期不开展活动',
    designatedBy,
    designatedAt: new Date().toISOString(),
    policy: { ...DEFAULT_POLICY },
  };
}

/** A second township (with one village and its organization) in an existing county. */
export async function addTownship(ds: DataSource, county: RegionEntity) {
  const tag = randomUUID().slice(0, 8);
  const township = await saveRegion(ds, `T${tag}`, `另一镇${tag}`, 'township', county);
  const village = await saveRegion(ds, `V${tag}`, `另一村${tag}`, 'village', township);
  const organization = await saveVillageOrganization(ds, `O${tag}`, `另一村${tag}党支部`, village, township, county);
  return { township, village, organization };
}

/**
 * Moves the due day of a case's first open task (by key) to `dueOn`, in the task table and in the case
 * row's `open_tasks_due`, as a projection writes both: how a test makes a task overdue while the
 * server's clock is real.
 */
export async function moveFirstOpenTaskDue(ds: DataSource, caseId: string, dueOn: string): Promise<void> {
  await ds.transaction(async (tx) => {
    await tx.query(`UPDATE task SET due_on = $2 WHERE key = (SELECT key FROM task WHERE case_id = $1 AND status = 'open' ORDER BY key LIMIT 1)`, [caseId, dueOn]);
    await tx.query(
      `UPDATE rectification_case SET open_tasks_due = coalesce((SELECT array_agg(due_on ORDER BY due_on) FROM task WHERE case_id = $1 AND status = 'open' AND due_on IS NOT NULL), '{}')
       WHERE id = $1`,
      [caseId],
    );
  });
}

/** Polls until `fn` returns a value other than undefined/null, or fails after `timeoutMs`. */
export async function eventually<T>(fn: () => Promise<T | undefined | null>, timeoutMs = 15000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined && value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
