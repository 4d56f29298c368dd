import { randomUUID } from 'node:crypto';
import { Brackets, DataSource } from 'typeorm';
import { dataSourceOptions, QueryTexts, RectificationCaseEntity, TaskEntity } from '../../libs/persistence';

/**
 * The task list makes its SQL text once per shape of its view and filters (QueryTexts): every request must still
 * get exactly the statement TypeORM would make for it — its own conditions, order and page size, its own values
 * in their places — whatever was asked before it.
 */
describe('QueryTexts', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = new DataSource(dataSourceOptions(process.env.DATABASE_URL as string));
    await ds.initialize();
  });
  afterAll(() => ds?.destroy());

  /** A list as the task list builds one: a region's tasks, optionally of a kind and before a day, soonest due first. */
  function list(region: { county: string; township?: string }, filters: { kind?: string; dueBefore?: string; limit?: number } = {}) {
    const qb = ds
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .leftJoin(RectificationCaseEntity, 'c', 'c.id = t.case_id')
      .select(['t.key AS key', 'c.organization_name AS organization_name']);
    qb.andWhere(
      new Brackets((w) => (region.township ? w.where('t.township_id = :scopeTownship', { scopeTownship: region.township }) : w.where('t.county_id = :scopeCounty', { scopeCounty: region.county }))),
    );
    if (filters.kind) qb.andWhere('t.kind = :kind', { kind: filters.kind });
    if (filters.dueBefore) qb.andWhere('t.due_on < :dueBefore', { dueBefore: filters.dueBefore });
    return qb.orderBy('t.due_on', 'ASC', 'NULLS LAST').addOrderBy('t.key', 'ASC').limit(filters.limit ?? 21);
  }

  it('gives every builder the statement and values TypeORM makes for it, across shapes asked in any order', async () => {
    const texts = new QueryTexts();
    const [countyA, countyB, township] = [randomUUID(), randomUUID(), randomUUID()];
    const builders = [
      list({ county: countyA }),
      list({ county: countyB }),
      list({ county: countyA, township }),
      list({ county: countyA }, { kind: 'measure' }),
      list({ county: countyB }, { kind: 'secretary', dueBefore: '2027-01-01' }),
      list({ county: countyA }, { dueBefore: '2027-03-31' }),
      list({ county: countyB }, { limit: 51 }),
      list({ county: countyB }, { kind: 'measure' }),
      list({ county: countyA, township }, { kind: 'quarter_visit' }),
    ];
    const made = builders.map((qb) => texts.queryAndParameters(qb));
    expect(made).toEqual(builders.map((qb) => qb.getQueryAndParameters()));

    // Same shape, other values: one text, each request's own values.
    expect(made[1][0]).toBe(made[0][0]);
    expect(made[1][1]).toEqual([countyB]);
    expect(made[7][1]).toEqual([countyB, 'measure']);
    // Another condition, another page size: another text.
    expect(new Set(made.map(([sql]) => sql)).size).toBe(7);
    expect(made[2][0]).toContain('township_id');
    expect(made[6][0]).toContain('LIMIT 51');

    // And the statements run: PostgreSQL takes each text with its values.
    for (const [sql, values] of made) await expect(ds.query(sql, values)).resolves.toEqual([]);
  });
});
