import { DataSource, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { createCaseProjectionActivities } from '../../activities/case-projection';
import { unmetConditions } from '../../apps/api/src/batches/batch-view';
import { DashboardReadModel, tracksOf, type ResolvedScope } from '../../apps/api/src/dashboard/dashboard-read-model';
import type { ScopeService } from '../../apps/api/src/scope/scope.service';
import type { AuthUser } from '../../apps/api/src/auth/auth-user';
import {
  acceptanceConditions,
  caseTracks,
  isOnList,
  outlookOf,
  overdueMeasures,
  shanghaiDateOf,
  visitCompliance,
  type CaseState,
  type ContactLeader,
  type GuidanceVisit,
  type Measure,
  type Problem,
} from '../../libs/domain';
import { dataSourceOptions, refreshCaseAggregates } from '../../libs/persistence';
import { buildCaseState, TEST_ACTOR } from '../support/case-state';
import { createRegionWithOrganizations, testConfig } from '../support/harness';

/**
 * Issue 17: the dashboards decide each case's tracks, conditions of acceptance and year-end outlook in
 * SQL over the aggregate columns the projection writes, never from the case JSON. Here 48 varied cases
 * are projected and, on days around quarter ends and the year end, every verdict the SQL gives must be
 * what the domain's own functions (caseTracks, outlookOf, acceptanceConditions, visitCompliance) give.
 */

/** A small deterministic generator, so a failure names a case that can be rebuilt. */
function random(seed: number) {
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  return {
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}

const DAYS_2026 = ['2025-12-20', '2026-01-10', '2026-02-14', '2026-03-31', '2026-04-01', '2026-05-20', '2026-06-30', '2026-07-15', '2026-09-18', '2026-10-02', '2026-11-05', '2026-12-29'];
const quarterOfDay = (d: string) => `${d.slice(0, 4)}-Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}`;

function randomState(org: { id: string; name: string; townshipId: string; countyId: string }, n: number): CaseState {
  const r = random(n * 7919 + 17);
  const stage = r.pick(['designated', 'rectifying', 'rectifying', 'awaiting_acceptance', 'converted', 'follow_up_review', 'removed'] as const);
  const leaderOn = r.pick(DAYS_2026.slice(0, 9));
  const leader = (id: string, on: string): ContactLeader => ({ id, name: id === 'l1' ? '赵县长' : '钱部长', title: '副县长', isCountyPartySecretary: false, assignedAt: `${on}T09:00:00+08:00`, assignedBy: TEST_ACTOR });
  const hasLeader = r.chance(0.85);
  const earlier = hasLeader && r.chance(0.2);
  const visits: GuidanceVisit[] = Array.from({ length: hasLeader ? r.int(0, 5) : 0 }, (_, i) => {
    const on = r.pick(DAYS_2026);
    return {
      id: `v${i}`,
      visitedOn: on,
      quarter: quarterOfDay(on),
      place: '村部',
      summary: '调研',
      problemsFound: [],
      leaderId: 'l1',
      recordedBy: TEST_ACTOR,
      recordedAt: `${on}T10:00:00+08:00`,
      ...(r.chance(0.2) ? { proxy: r.chance(0.5) ? { confirmedAt: `${on}T12:00:00+08:00`, confirmedBy: TEST_ACTOR } : {} } : {}),
    };
  });
  const problems: Problem[] = Array.from({ length: r.int(0, 3) }, (_, i) => ({
    id: `p${i}`,
    description: '问题',
    reasonCode: 'C4',
    cureTag: '治散',
    rootCause: '根源',
    evidence: '佐证',
    status: r.pick(['open', 'closed'] as const),
    foundBy: TEST_ACTOR,
    foundAt: '2026-03-01T10:00:00+08:00',
  }));
  const measures: Measure[] = Array.from({ length: r.int(0, 3) }, (_, i) => ({
    id: `m${i}`,
    description: '措施',
    problemIds: [],
    owner: '张科',
    dueOn: r.pick([...DAYS_2026, '2027-02-01']),
    percent: 50,
    status: r.pick(['in_progress', 'done', 'not_started'] as const),
    progress: [],
    earlierUpdates: 0,
    addedBy: TEST_ACTOR,
    addedAt: '2026-03-01T10:00:00+08:00',
  })) as Measure[];
  const required = r.chance(0.7);
  const firstSecretary = r.chance(0.4);
  const appointed = r.chance(0.5);
  const rulesVersion = r.pick([1, 2]);
  const converted = ['converted', 'follow_up_review'].includes(stage);
  const acceptedOn = r.pick(DAYS_2026.slice(3));
  const size = r.int(0, 4);
  return buildCaseState(org, {
    caseId: `case-agg-${n}-${org.id}`,
    designatedAt: '2026-01-05T09:00:00+08:00',
    stage,
    rulesVersion,
    policy: { ...buildCaseState(org).policy, visitsPerQuarter: r.pick([1, 1, 2, 0]), minCollectiveProjects: r.pick([1, 2]) },
    ...(hasLeader ? { contactLeader: leader('l1', earlier ? r.pick(DAYS_2026.slice(4, 10)) : leaderOn) } : {}),
    previousContactLeaders: earlier ? [leader('l0', leaderOn)] : [],
    visits,
    ...(size ? { team: { members: Array.from({ length: size }, (_, i) => ({ id: `t${i}`, name: `队员${i}`, rank: 'staff', unit: '镇', isLeader: i === 0, joinedOn: '2026-02-01' })), arrivedOn: '2026-02-01', appointedBy: TEST_ACTOR, appointedAt: '2026-02-01T10:00:00+08:00', ...(r.chance(0.2) ? { releasedAt: '2026-09-01T10:00:00+08:00', releasedBy: TEST_ACTOR, releaseReason: '撤离' } : {}) } } : {}),
    problems,
    ...(r.chance(0.6) ? { problemListConfirmedAt: '2026-03-02T10:00:00+08:00' } : {}),
    measures,
    ...(r.chance(0.6) ? { planApprovedAt: '2026-03-03T10:00:00+08:00' } : {}),
    secretary: {
      required,
      overdue: required && !appointed && r.chance(0.3),
      trainings: r.chance(0.5) ? [{ id: 'tr1', secretaryName: '周书记', session: '专题培训', attendedOn: '2026-05-01', recordedBy: TEST_ACTOR, recordedAt: '2026-05-01T10:00:00+08:00' }] : [],
      ...(r.chance(0.7) ? { deadline: r.pick(DAYS_2026) } : {}),
      ...(appointed
        ? { appointment: { name: '周书记', source: firstSecretary ? 'first_secretary' : 'from_village', appointedOn: '2026-04-01', recordedBy: TEST_ACTOR, recordedAt: '2026-04-01T10:00:00+08:00', ...(firstSecretary ? { termEndsOn: r.pick(DAYS_2026) } : {}) } }
        : {}),
    } as CaseState['secretary'],
    projects: r.chance(0.6) ? [{ id: 'pj', name: '光伏电站', kind: '光伏', supportFunds: 1, startOn: '2026-05-01', expectedYearlyIncome: 1, recordedBy: TEST_ACTOR, recordedAt: '2026-05-01T10:00:00+08:00' }] : [],
    practicalThings: r.chance(0.5) ? [{ id: 'pt', title: '修路', description: '修路', doneOn: '2026-05-01', recordedBy: TEST_ACTOR, recordedAt: '2026-05-01T10:00:00+08:00', evidence: '照片' }] : [],
    ...(converted ? { acceptedAt: r.chance(0.9) ? `${acceptedOn}T10:00:00+08:00` : undefined } : {}),
    yearEndDeadline: r.pick(['2026-12-31', '2026-12-31', '2027-06-30']),
    yearEndOverdue: r.chance(0.1),
    ...(stage === 'removed' ? { removal: { at: '2026-06-01T10:00:00+08:00', by: TEST_ACTOR, reason: '撤并', fromStage: 'rectifying' } } : {}),
    ...(r.chance(0.3)
      ? {
          organizationalHandling: {
            due: [{ deadlineKey: 'k1', title: '措施', dueOn: '2026-05-01', raisedAt: '2026-06-01T10:00:00+08:00', ...(r.chance(0.5) ? { decisionId: 'd1' } : {}) }],
            decisions: r.chance(0.5) ? [{ id: 'd1', measure: 'admonishment', subject: '某某', decidedBy: '部务会', decidedOn: '2026-06-05', reason: '逾期', deadlineKeys: ['k1'], recordedBy: TEST_ACTOR, recordedAt: '2026-06-05T10:00:00+08:00' }] : [],
          },
        }
      : {}),
  } as Partial<CaseState>);
}

describe('case verdicts decided in SQL over the aggregate columns', () => {
  let ds: DataSource;
  let states: CaseState[];
  let model: DashboardReadModel;
  let scope: Omit<ResolvedScope, 'batchYear'>;

  beforeAll(async () => {
    ds = new DataSource(dataSourceOptions(testConfig().databaseUrl));
    await ds.initialize();
    const { county, township, organizations } = await createRegionWithOrganizations(ds, 48);
    states = organizations.map((o, n) => randomState({ id: o.id, name: o.name, townshipId: township.id, countyId: county.id }, n));
    const { projectCase } = createCaseProjectionActivities({ dataSource: ds });
    for (const s of states) await projectCase(s, [], []);
    const scopes = {
      restrict: <T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, _user: AuthUser, alias: string) => qb.andWhere(`${alias}.county_id = :scopeCounty`, { scopeCounty: county.id }),
    } as unknown as ScopeService;
    model = new DashboardReadModel(ds, scopes);
    scope = { user: { countyId: county.id, regionLevel: 'county' } as AuthUser, townshipId: null, scope: { level: 'county', regionId: county.id, name: county.name }, townships: [{ id: township.id, name: township.name }] };
  });
  afterAll(() => ds?.destroy());

  const DAYS = ['2026-01-01', '2026-03-31', '2026-04-01', '2026-04-14', '2026-06-17', '2026-07-01', '2026-09-30', '2026-10-15', '2026-12-20', '2026-12-31', '2027-01-01', '2027-04-20'];

  it.each(DAYS)('gives every case the tracks, overdue measures, conditions unmet and outlook of the domain on %s', async (day) => {
    const nowMs = Date.parse(`${day}T12:00:00+08:00`);
    const rows = new Map((await model.verdicts({ ...scope, batchYear: 2026 }, shanghaiDateOf(nowMs))).map((v) => [v.id, v]));
    expect(rows.size).toBe(states.length);
    for (const s of states) {
      const v = rows.get(s.caseId)!;
      const tracks = caseTracks(s, nowMs);
      const o = outlookOf(s, nowMs, tracks);
      const expected = {
        tracks,
        outlook: o.outlook,
        yearEndMissed: o.yearEndMissed,
        daysLeft: o.daysLeft,
        daysNeeded: o.daysNeeded,
        measuresOverdue: overdueMeasures(s, nowMs).length,
        unmet: o.outlook === 'converted' ? [] : acceptanceConditions(s, nowMs).filter((c) => !c.met).map((c) => `${c.code}:${c.zh}:${c.missing ?? ''}`),
      };
      const actual = {
        tracks: tracksOf(v),
        outlook: v.outlook,
        yearEndMissed: v.year_end_missed,
        daysLeft: v.days_left,
        daysNeeded: v.days_needed,
        measuresOverdue: v.measures_overdue,
        unmet: unmetConditions(v, shanghaiDateOf(nowMs)).map((c) => `${c.code}:${c.zh}:${c.missing ?? ''}`),
      };
      expect({ caseId: s.caseId, ...actual }).toEqual({ caseId: s.caseId, ...expected });
    }
  });

  it.each(DAYS)("gives each contact leader's visit compliance of the domain on %s", async (day) => {
    const nowMs = Date.parse(`${day}T12:00:00+08:00`);
    const actual = await model.visitCompliance({ ...scope, batchYear: 2026 }, shanghaiDateOf(nowMs));
    expect(actual).toEqual(visitCompliance(states.filter(isOnList), 2026, nowMs));
  });

  it('fills the columns of rows projected before they existed from the stored state', async () => {
    const ids = states.map((s) => s.caseId);
    const before = await ds.query(`SELECT * FROM rectification_case WHERE id = ANY ($1) ORDER BY id`, [ids]);
    await ds.query(`UPDATE rectification_case SET accept_unmet = '{}', leader_gap_end = NULL, card = '{}'::jsonb, team_done = false WHERE id = ANY ($1)`, [ids]);
    expect(await refreshCaseAggregates(ds, ids)).toBe(ids.length);
    expect(await ds.query(`SELECT * FROM rectification_case WHERE id = ANY ($1) ORDER BY id`, [ids])).toEqual(before);
  });
});
