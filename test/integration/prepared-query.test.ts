import { DataSource } from 'typeorm';
import { MAX_NAMED_STATEMENTS, preparedQuery } from '../../libs/persistence/prepared-query';
import { dataSourceOptions } from '../../libs/persistence';

/**
 * Named prepared statements stay on every connection that ran them, and the task list's filters shape its
 * texts: however many texts requests make, the API names at most MAX_NAMED_STATEMENTS, and the rest still
 * answer, unnamed.
 */
describe('preparedQuery', () => {
  let ds: DataSource;
  beforeAll(async () => {
    // One connection, so the statements it holds can be counted on it.
    ds = new DataSource(dataSourceOptions(process.env.DATABASE_URL as string, { extra: { max: 1 } }));
    await ds.initialize();
  });
  afterAll(() => ds?.destroy());

  it('names a text once and reuses it, and keeps no more than its limit of texts prepared on a connection however many it is sent', async () => {
    const held = async () => Number((await ds.query(`SELECT count(*)::int AS n FROM pg_prepared_statements`))[0].n);
    expect(await held()).toBe(0);

    for (let round = 0; round < 2; round++) {
      expect(await preparedQuery<{ n: number }>(ds, `SELECT $1::int + 0 AS n`, [41])).toEqual([{ n: 41 }]);
    }
    expect(await held()).toBe(1);

    const texts = MAX_NAMED_STATEMENTS + 30;
    for (let i = 1; i < texts; i++) {
      expect(await preparedQuery<{ n: number }>(ds, `SELECT $1::int + ${i} AS n`, [1])).toEqual([{ n: 1 + i }]);
    }
    expect(await held()).toBe(MAX_NAMED_STATEMENTS);
  });
});
