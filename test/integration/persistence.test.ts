import { DataSource } from 'typeorm';
import { createCaseProjectionActivities } from '../../activities/case-projection';
import type { CaseState } from '../../libs/domain';
import { AuditEntryEntity, dataSourceOptions, RectificationCaseEntity } from '../../libs/persistence';
import { OpenTaskDues1796400000000 } from '../../libs/persistence/migrations/1796400000000-OpenTaskDues';
import { buildCaseState, buildEvent, buildTask } from '../support/case-state';
import { createRegionWithOrganizations } from '../support/harness';
import { withOwnDatabase } from '../support/own-database';

describe('schema migrations', () => {
  it('build the schema on an empty database and revert it cleanly', async () => {
    await withOwnDatabase('rectification_migrations', async (ds) => {
      const applied = await ds.runMigrations();
      expect(applied.length).toBeGreaterThan(0);
      const tables = async () =>
        (await ds.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).map(
          (r: { table_name: string }) => r.table_name,
        );
      expect(await tables()).toEqual(
        expect.arrayContaining(['audit_entry', 'county_policy', 'county_secretary_case', 'organization', 'rectification_case', 'region', 'task']),
      );
      // Every column an entity maps exists after the migrations, with a compatible nullability.
      const columns: { table_name: string; column_name: string; is_nullable: string }[] = await ds.query(
        `SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
      );
      for (const entity of ds.entityMetadatas) {
        for (const column of entity.columns) {
          const found = columns.find((c) => c.table_name === entity.tableName && c.column_name === column.databaseName);
          expect({ table: entity.tableName, column: column.databaseName, exists: !!found }).toEqual({
            table: entity.tableName,
            column: column.databaseName,
            exists: true,
          });
          expect({ column: `${entity.tableName}.${column.databaseName}`, nullable: found?.is_nullable === 'YES' }).toEqual({
            column: `${entity.tableName}.${column.databaseName}`,
            nullable: column.isNullable,
          });
        }
      }
      for (let i = 0; i < applied.length; i++) await ds.undoLastMigration();
      expect(await tables()).toEqual(['migrations']);
    });
  });
});

describe('open task dues on the case row (migration OpenTaskDues)', () => {
  it("fills the due days of every projected case's open tasks, so the dashboards count them from the first request", async () => {
    await withOwnDatabase('rectification_open_task_dues', async (ds) => {
      await ds.runMigrations();
      const { organizations } = await createRegionWithOrganizations(ds, 1);
      const state = buildCaseState(organizations[0]);
      await createCaseProjectionActivities({ dataSource: ds }).projectCase(state, [], [
        buildTask(state, 'a', { dueOn: '2026-05-01' }),
        buildTask(state, 'b'),
        buildTask(state, 'c', { dueOn: '2026-04-01' }),
      ]);
      // As the database stood before the column: only the tasks know their due days.
      const runner = ds.createQueryRunner();
      try {
        await new OpenTaskDues1796400000000().down(runner);
        await new OpenTaskDues1796400000000().up(runner);
      } finally {
        await runner.release();
      }
      const dues = await ds.query(`SELECT to_char(d, 'YYYY-MM-DD') AS d FROM rectification_case c, unnest(c.open_tasks_due) AS d WHERE c.id = $1 ORDER BY d`, [state.caseId]);
      expect(dues.map((r: { d: string }) => r.d)).toEqual(['2026-04-01', '2026-05-01']);
    });
  });
});

describe('case projection activity', () => {
  let ds: DataSource;
  beforeAll(async () => {
    // Quiet: one test provokes a database error on purpose.
    ds = new DataSource(dataSourceOptions(process.env.DATABASE_URL as string, { logging: false }));
    await ds.initialize();
  });
  afterAll(() => ds.destroy());

  async function stateFor(version: number, stage: CaseState['stage']): Promise<CaseState> {
    const { organizations } = await createRegionWithOrganizations(ds, 1);
    return buildCaseState(organizations[0], { version, stage });
  }

  it('writes a retried projection once: one row, one audit entry', async () => {
    const { projectCase } = createCaseProjectionActivities({ dataSource: ds });
    const state = await stateFor(1, 'designated');
    const event = buildEvent(state, 1);
    await projectCase(state, [event], []);
    await projectCase(state, [event], []);
    await projectCase(state, [event], []);
    expect(await ds.getRepository(RectificationCaseEntity).countBy({ id: state.caseId })).toBe(1);
    expect(await ds.getRepository(AuditEntryEntity).countBy({ caseId: state.caseId })).toBe(1);
  });

  it('never lets an older version overwrite a newer one', async () => {
    const { projectCase } = createCaseProjectionActivities({ dataSource: ds });
    const newer = { ...(await stateFor(3, 'rectifying')) };
    const older = { ...newer, version: 2, stage: 'designated' as const };
    await projectCase(newer, [], []);
    await projectCase(older, [], []);
    const row = await ds.getRepository(RectificationCaseEntity).findOneByOrFail({ id: newer.caseId });
    expect(row).toMatchObject({ version: 3, stage: 'rectifying' });
  });

  it('writes nothing when any part fails (one transaction)', async () => {
    const { projectCase } = createCaseProjectionActivities({ dataSource: ds });
    const state = await stateFor(1, 'designated');
    const bad = buildEvent(state, 1, 'case.designated', { id: 'user-x', name: 'x'.repeat(500), role: 'county_org_admin' });
    await expect(projectCase(state, [bad], [])).rejects.toThrow();
    expect(await ds.getRepository(RectificationCaseEntity).countBy({ id: state.caseId })).toBe(0);
  });
});
