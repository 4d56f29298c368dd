import { caseIdFor } from '../../libs/domain';
import { RectificationCaseEntity } from '../../libs/persistence';
import { getCaseStateQuery, rectifyCase } from '../../workflows/rectify-case';
import { createRegionWithOrganizations } from '../support/harness';
import { startTimeSkipping, type TimeSkipping } from '../support/time-skipping';

describe('rectifyCase on the time-skipping server', () => {
  let ts: TimeSkipping;
  beforeAll(async () => {
    ts = await startTimeSkipping();
  });
  afterAll(() => ts?.close());

  it('is designated, projected, and still queryable after months pass', async () => {
    const { organizations } = await createRegionWithOrganizations(ts.dataSource, 1);
    const org = organizations[0];
    const caseId = caseIdFor(org.id, 2026);
    const handle = await ts.env.client.workflow.start(rectifyCase, {
      taskQueue: ts.taskQueue,
      workflowId: caseId,
      args: [
        {
          caseId,
          organization: { id: org.id, name: org.name, townshipId: org.townshipId, countyId: org.countyId },
          batchYear: 2026,
          reasons: ['C1'],
          designatedBy: '县委组织部',
          designatedAt: '2026-03-01T02:00:00.000Z',
        },
      ],
    });
    const before = await ts.env.currentTimeMs();
    await ts.env.sleep('90 days');
    expect((await ts.env.currentTimeMs()) - before).toBeGreaterThanOrEqual(90 * 24 * 3600 * 1000);

    const state = await handle.query(getCaseStateQuery);
    expect(state).toMatchObject({ caseId, stage: 'designated', version: 1 });
    const row = await ts.dataSource.getRepository(RectificationCaseEntity).findOneByOrFail({ id: caseId });
    expect(row.stage).toBe('designated');
  });
});
