import { rebuildReadModel } from '../../apps/worker/src/rebuild-read-model';
import { ratingIdFor } from '../../libs/domain';
import { as, personas, type Personas } from '../support/auth';
import { createRegionWithOrganizations, eventually, startHarness, type Harness } from '../support/harness';
import { HttpPlaybook } from '../support/http-playbook';

/**
 * The read model rebuilt from the workflows (apps/worker/src/rebuild-read-model.ts): a running county's
 * cases, their open tasks, its star ratings and the audit trail of both are lost or damaged, and the
 * rebuild writes them back to the same rows, through the projection activities, from Temporal alone.
 */
describe('rebuilding the read model from Temporal', () => {
  let h: Harness;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let people: Personas;
  let caseIds: string[];
  let ratingId: string;

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 3);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });

    // A case well under way (leader, team, problems on a confirmed list: several versions, tasks, audit) and a fresh one.
    const busy = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[0], 2026);
    await busy.start();
    await busy.addProblems(2);
    await busy.confirmProblemList();
    const fresh = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[1], 2026);
    caseIds = [busy.caseId, fresh.caseId];

    // A star rating past its application.
    await as(h.app, people.countyAdmin).post('/api/star-ratings').send({ organizationId: orgs.organizations[2].id, year: 2026 }).expect(201);
    ratingId = ratingIdFor(orgs.organizations[2].id, 2026);
    await as(h.app, people.townshipSecretary).post(`/api/star-ratings/${ratingId}/application`).send({ selfScore: 78, appliedStars: 2, selfCheck: '对照六个基本逐项自查' }).expect(200);

    // Everything projected: each row at its workflow's version.
    for (const id of caseIds) {
      await eventually(async () => {
        const live = await h.client.workflow.getHandle(id).query<{ version: number }>('getCaseState');
        const [row] = await h.dataSource.query(`SELECT version FROM rectification_case WHERE id = $1`, [id]);
        return row && row.version === live.version ? row : undefined;
      }, 20000, `case ${id} projected`);
    }
    // And every workflow visible to the rebuild's query.
    await eventually(async () => {
      const ids = new Set<string>();
      for await (const run of h.client.workflow.list({ query: `CountyId = '${orgs.county.id}'` })) ids.add(run.workflowId);
      return [...caseIds, ratingId].every((id) => ids.has(id)) ? ids : undefined;
    }, 20000, 'visibility of the workflows');
  });
  afterAll(() => h?.close());

  /** The county's read-model rows, less what a rewrite changes by nature (serial ids, write times). */
  const snapshot = async () => {
    const county = orgs.county.id;
    const cases = await h.dataSource.query(`SELECT * FROM rectification_case WHERE county_id = $1 ORDER BY id`, [county]);
    const tasks = await h.dataSource.query(
      `SELECT key, case_id, county_id, township_id, kind, title, assignee_role, region_id, assignee_id, subject_id, due_on, status, case_version
         FROM task WHERE county_id = $1 ORDER BY key`,
      [county],
    );
    const ratings = await h.dataSource.query(`SELECT * FROM star_rating WHERE county_id = $1 ORDER BY id`, [county]);
    const audit = await h.dataSource.query(
      `SELECT idempotency_key, case_id, actor, actor_id, actor_role, action, occurred_at, payload FROM audit_entry
        WHERE case_id = ANY($1) OR payload->>'ratingId' = $2 ORDER BY occurred_at, idempotency_key`,
      [caseIds, ratingId],
    );
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ updated_at: _u, ...rest }) => rest);
    return { cases: strip(cases), tasks, ratings: strip(ratings), audit };
  };

  const rebuild = () => rebuildReadModel({ client: h.client, dataSource: h.dataSource, countyId: orgs.county.id });

  it('writes back the rows of cases, open tasks, star ratings and audit entries after they are dropped', async () => {
    const before = await snapshot();
    expect(before.cases).toHaveLength(2);
    expect(before.tasks.filter((t: { status: string }) => t.status === 'open').length).toBeGreaterThan(0);
    expect(before.tasks.filter((t: { status: string }) => t.status === 'done').length).toBeGreaterThan(0);
    expect(before.ratings).toHaveLength(1);
    expect(before.audit.length).toBeGreaterThan(5);
    expect(new Set(before.audit.map((a: { action: string }) => a.action)).size).toBeGreaterThan(3);

    await h.dataSource.query(`DELETE FROM audit_entry WHERE case_id = ANY($1) OR payload->>'ratingId' = $2`, [caseIds, ratingId]);
    await h.dataSource.query(`DELETE FROM rectification_case WHERE county_id = $1`, [orgs.county.id]); // tasks go with them
    // The batch's own task (no case: 县委书记尚未联系本批次任何案件) goes too; projecting the cases raises it again.
    await h.dataSource.query(`DELETE FROM task WHERE county_id = $1 AND case_id IS NULL`, [orgs.county.id]);
    await h.dataSource.query(`DELETE FROM star_rating WHERE county_id = $1`, [orgs.county.id]);
    const empty = await snapshot();
    expect([empty.cases, empty.tasks, empty.ratings, empty.audit].map((rows) => rows.length)).toEqual([0, 0, 0, 0]);

    const report = await rebuild();
    expect(report).toMatchObject({ cases: 2, ratings: 1, skipped: [] });
    expect(report.auditEvents).toBe(before.audit.length);
    expect(await snapshot()).toEqual(before);

    // The API reads the rebuilt rows as before.
    const list = await as(h.app, people.countyAdmin).get('/api/cases').expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id).sort()).toEqual([...caseIds].sort());
  });

  it('repairs damaged rows and lost tasks, and a second run changes nothing', async () => {
    const before = await snapshot();
    const [busy, fresh] = caseIds;
    await h.dataSource.query(`UPDATE rectification_case SET stage = 'closed', problems_open = 0, state = '{}'::jsonb WHERE id = $1`, [busy]);
    await h.dataSource.query(`DELETE FROM task WHERE case_id = $1`, [fresh]);
    await h.dataSource.query(`UPDATE star_rating SET stars = NULL, stage = 'named' WHERE id = $1`, [ratingId]);
    await h.dataSource.query(`DELETE FROM audit_entry WHERE idempotency_key = (SELECT idempotency_key FROM audit_entry WHERE case_id = $1 ORDER BY occurred_at DESC LIMIT 1)`, [busy]);
    expect(await snapshot()).not.toEqual(before);

    await rebuild();
    expect(await snapshot()).toEqual(before);
    await rebuild();
    expect(await snapshot()).toEqual(before);
    const [{ n }] = await h.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE case_id = ANY($1) OR payload->>'ratingId' = $2`, [caseIds, ratingId]);
    expect(n).toBe(before.audit.length);
  });

  it('leaves a claimed task of an intact case claimed', async () => {
    const [busy] = caseIds;
    const [task] = await h.dataSource.query(`SELECT key FROM task WHERE case_id = $1 AND status = 'open' ORDER BY key LIMIT 1`, [busy]);
    await h.dataSource.query(`UPDATE task SET claimed_by_name = '工作队队长', claimed_at = now() WHERE key = $1`, [task.key]);
    await rebuild();
    const [after] = await h.dataSource.query(`SELECT claimed_by_name FROM task WHERE key = $1`, [task.key]);
    expect(after.claimed_by_name).toBe('工作队队长');
  });

  it('keeps a newer row the worker wrote meanwhile', async () => {
    const [busy] = caseIds;
    await h.dataSource.query(`UPDATE rectification_case SET version = version + 100 WHERE id = $1`, [busy]);
    const [{ version }] = await h.dataSource.query(`SELECT version FROM rectification_case WHERE id = $1`, [busy]);
    await rebuild();
    const [after] = await h.dataSource.query(`SELECT version FROM rectification_case WHERE id = $1`, [busy]);
    expect(after.version).toBe(version);
  });
});
