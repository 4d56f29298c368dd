import { createActivities, type ReplanOutcome, type SyncCaseInput } from '../../activities';
import { deriveTasks, noticePlanRequest, openDeadlines } from '../../libs/domain';
import { signedInUser } from '../support/auth';
import { buildCaseState, buildEvent } from '../support/case-state';
import { createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';

describe('syncCase: a change of a case written in one activity', () => {
  let h: Harness;
  let acts: ReturnType<typeof createActivities>;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;

  beforeAll(async () => {
    h = await startHarness();
    // No Temporal client: nothing is sent outbound from this file.
    acts = createActivities({ dataSource: h.dataSource });
    orgs = await createRegionWithOrganizations(h.dataSource, 2);
    // The township party secretary, whom reminders and the first escalation rung reach.
    await signedInUser(h.app, h.dataSource, 'township_party_secretary', orgs.township.id);
    // The county organization department, whom the second rung (通报) reaches.
    await signedInUser(h.app, h.dataSource, 'county_org_admin', orgs.county.id);
  }, 120000);
  afterAll(() => h?.close());

  const countsOf = async (caseId: string) => {
    const [row] = await h.dataSource.query(
      `SELECT (SELECT count(*) FROM rectification_case WHERE id = $1)::int AS cases,
              (SELECT count(*) FROM task WHERE case_id = $1)::int AS tasks,
              (SELECT count(*) FROM audit_entry WHERE case_id = $1)::int AS audit,
              (SELECT count(*) FROM notification WHERE case_id = $1)::int AS notices,
              (SELECT count(*) FROM escalation WHERE case_id = $1)::int AS escalations,
              (SELECT count(*) FROM escalation WHERE case_id = $1 AND resolved_at IS NULL)::int AS open_escalations`,
      [caseId],
    );
    return row as Record<string, number>;
  };

  it('projects, re-plans and raises what the new plan makes due; run again (a retry), it writes nothing twice', async () => {
    const org = orgs.organizations[0];
    const designatedAt = Date.parse('2026-03-02T02:00:00Z');
    const state = buildCaseState({ ...org, townshipId: orgs.township.id, countyId: orgs.county.id }, { designatedAt: new Date(designatedAt).toISOString() });
    const deadlines = openDeadlines(state, designatedAt);
    expect(deadlines.length).toBeGreaterThan(0);
    // A designated case owes its year end (31 December); planned for the first time 20 days after it,
    // both reminders and the first two rungs are past, the interview (30 days overdue) still ahead.
    expect(deadlines.map((d) => d.key)).toEqual(['year_end']);
    const nowMs = Date.parse('2027-01-20T02:00:00Z');
    const input: SyncCaseInput = {
      caseRef: { caseId: state.caseId, organizationName: state.organizationName, countyId: state.countyId, townshipId: state.townshipId },
      projection: { state, events: [buildEvent(state, 1)], tasks: deriveTasks(state, designatedAt) },
      notices: {
        kind: 'replan',
        request: noticePlanRequest(state, deadlines),
        done: [],
        firstPlannedAt: { year_end: nowMs },
        nowMs,
      },
    };

    const first = (await acts.syncCase(input)) as ReplanOutcome;
    expect(first.planned.map((n) => n.rung).sort()).toEqual(['interview', 'public_notice', 'reminder', 'reminder', 'supervision']);
    // Of the moments missed before the deadline was planned only the highest rung goes out (通报); the
    // lower ones are passed over.
    expect(first.raised.map((n) => n.rung)).toEqual(['public_notice']);
    expect(first.skipped).toHaveLength(3);
    expect(first.done).toEqual([]);
    // Only the outcome: the projection written is not repeated into the local activity's marker.
    expect(Object.keys(first).sort()).toEqual(['done', 'planned', 'raised', 'skipped']);
    const after = await countsOf(state.caseId);
    expect(after).toMatchObject({ cases: 1, audit: 1 });
    expect(after.tasks).toBeGreaterThan(0);
    expect(after).toMatchObject({ notices: 1, escalations: 1, open_escalations: 1 });

    const retried = await acts.syncCase(input);
    expect(retried).toEqual(first);
    expect(await countsOf(state.caseId)).toEqual(after);
  });

  it('with the plan standing, raises only the notices handed to it and closes the escalations of met deadlines', async () => {
    const org = orgs.organizations[1];
    const designatedAt = Date.parse('2026-03-02T02:00:00Z');
    const state = buildCaseState({ ...org, townshipId: orgs.township.id, countyId: orgs.county.id }, { designatedAt: new Date(designatedAt).toISOString() });
    const deadlines = openDeadlines(state, designatedAt);
    const caseRef = { caseId: state.caseId, organizationName: state.organizationName, countyId: state.countyId, townshipId: state.townshipId };
    const planned = await acts.planNotices(noticePlanRequest(state, deadlines));
    const escalation = planned.find((n) => n.rung !== 'reminder')!;

    const projection = { state, events: [buildEvent(state, 1)], tasks: deriveTasks(state, designatedAt) };
    const raised = await acts.syncCase({ caseRef, projection, notices: { kind: 'raise', raise: [escalation] } });
    // The workflow decided what is due: nothing to answer (a rebuild of the read model replays the history to
    // recover what a local sync projected, rather than reading it back from the marker).
    expect(raised).toBeNull();
    expect(await countsOf(state.caseId)).toMatchObject({ escalations: 1, open_escalations: 1 });

    const met = await acts.syncCase({
      caseRef,
      resolve: { caseId: state.caseId, deadlineKeys: [escalation.deadlineKey], at: new Date().toISOString() },
      notices: { kind: 'raise', raise: [] },
    });
    expect(met).toBeNull();
    expect(await countsOf(state.caseId)).toMatchObject({ audit: 1, escalations: 1, open_escalations: 0 });
  });
});
