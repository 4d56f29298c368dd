import {
  OUTLOOK_DEFINITIONS,
  OUTLOOK_LABELS,
  YEAR_END_OUTLOOKS,
  caseTracks,
  dueStatus,
  outlookCounts,
  outlookOf,
  yearEndOutlook,
  leaderTrack,
  overdueMeasures,
  planTrack,
  problemsTrack,
  projectTrack,
  quartersOwed,
  secretaryTrack,
  teamTrack,
  visitCompliance,
  yearEndMissed,
  type CaseState,
  type ContactLeader,
  type GuidanceVisit,
  type Measure,
  type Problem,
  type TeamMember,
} from '../../libs/domain';
import { buildCaseState, TEST_ACTOR } from '../support/case-state';

/** Noon in Shanghai on a day. */
const at = (date: string) => Date.parse(`${date}T12:00:00+08:00`);
const NOW = at('2026-11-22');
const ORG = { id: 'org-1', name: '测试村党支部', townshipId: 'township-1', countyId: 'county-1' };

const leader = (id = 'leader-1', assignedOn = '2026-10-10', name = '赵县长'): ContactLeader => ({
  id,
  name,
  title: '副县长',
  isCountyPartySecretary: false,
  assignedAt: `${assignedOn}T09:00:00+08:00`,
  assignedBy: TEST_ACTOR,
});

let seq = 0;
const visit = (visitedOn: string, leaderId = 'leader-1'): GuidanceVisit => {
  const [y, m] = visitedOn.split('-').map(Number);
  return {
    id: `v${++seq}`,
    visitedOn,
    quarter: `${y}-Q${Math.floor((m - 1) / 3) + 1}`,
    place: '村党群服务中心',
    summary: '听取汇报',
    problemsFound: [],
    leaderId,
    recordedBy: TEST_ACTOR,
    recordedAt: `${visitedOn}T10:00:00+08:00`,
  };
};

const member = (n: number): TeamMember => ({ id: `tm${n}`, name: `队员${n}`, rank: n === 1 ? 'section' : 'staff', unit: '镇政府', isLeader: n === 1, joinedOn: '2026-10-12' });
const team = (size: number, released = false): CaseState['team'] => ({
  members: Array.from({ length: size }, (_, i) => member(i + 1)),
  arrivedOn: '2026-10-12',
  appointedBy: TEST_ACTOR,
  appointedAt: '2026-10-12T10:00:00+08:00',
  ...(released ? { releasedAt: '2026-11-01T10:00:00+08:00', releasedBy: TEST_ACTOR, releaseReason: '撤离' } : {}),
});

const problem = (status: Problem['status']): Problem => ({
  id: `p${++seq}`,
  description: '三会一课不正常',
  reasonCode: 'C4',
  cureTag: '治散',
  rootCause: '书记缺位',
  evidence: '记录本空白',
  status,
  foundBy: TEST_ACTOR,
  foundAt: '2026-10-20T10:00:00+08:00',
});

const measure = (dueOn: string, status: Measure['status'] = 'in_progress'): Measure => ({
  id: `m${++seq}`,
  description: '规范组织生活',
  problemIds: [],
  owner: '张科',
  dueOn,
  percent: status === 'done' ? 100 : 50,
  status,
  progress: [],
  earlierUpdates: 0,
  addedBy: TEST_ACTOR,
  addedAt: '2026-10-25T10:00:00+08:00',
});

const project = () => ({
  id: `pj${++seq}`,
  name: '村集体光伏电站',
  kind: '光伏发电',
  supportFunds: 500000,
  startOn: '2026-11-01',
  expectedYearlyIncome: 60000,
  recordedBy: TEST_ACTOR,
  recordedAt: '2026-11-01T10:00:00+08:00',
});

const state = (overrides: Partial<CaseState> = {}) => buildCaseState(ORG, { designatedAt: '2026-03-01T09:00:00+08:00', ...overrides });
const secretary = (s: Partial<CaseState['secretary']>): CaseState['secretary'] => ({ required: true, overdue: false, trainings: [], ...s });

/** A case with every track done in Q4 2026. */
const complete = (overrides: Partial<CaseState> = {}) =>
  state({
    stage: 'awaiting_acceptance',
    contactLeader: leader(),
    visits: [visit('2026-10-20')],
    team: team(3),
    problems: [problem('closed')],
    problemListConfirmedAt: '2026-10-21T10:00:00+08:00',
    measures: [measure('2026-11-30', 'done')],
    planApprovedAt: '2026-10-28T10:00:00+08:00',
    secretary: secretary({ deadline: '2027-01-12', appointment: { name: '周新书', source: 'from_village', appointedOn: '2026-11-10', recordedBy: TEST_ACTOR, recordedAt: '2026-11-10T10:00:00+08:00' } }),
    projects: [project()],
    ...overrides,
  });

describe('due status (Asia/Shanghai, 14 days)', () => {
  it('is due soon from today to 14 days ahead, open at 15, overdue the day after', () => {
    expect(dueStatus('2026-11-22', '2026-11-22')).toBe('due_soon');
    expect(dueStatus('2026-12-06', '2026-11-22')).toBe('due_soon');
    expect(dueStatus('2026-12-07', '2026-11-22')).toBe('open');
    expect(dueStatus('2026-11-21', '2026-11-22')).toBe('overdue');
  });
});

describe('the six tracks', () => {
  it('shows every track done on a case that meets every condition', () => {
    expect(caseTracks(complete(), NOW)).toEqual({ leader: 'done', team: 'done', problems: 'done', plan: 'done', secretary: 'done', project: 'done' });
  });

  it('shows a freshly designated case open on every track but the secretary it does not need', () => {
    const s = state({ secretary: secretary({ required: false }) });
    expect(caseTracks(s, NOW)).toEqual({ leader: 'open', team: 'open', problems: 'open', plan: 'open', secretary: 'done', project: 'open' });
  });

  describe('leader 一把手分包', () => {
    it("is done once this quarter's visit is made", () => {
      expect(leaderTrack(state({ contactLeader: leader(), visits: [visit('2026-11-01')] }), NOW)).toBe('done');
    });

    it('is overdue when a completed quarter missed its visit, even with this quarter visited', () => {
      const s = state({ contactLeader: leader('leader-1', '2026-08-01'), visits: [visit('2026-11-01')] });
      expect(leaderTrack(s, NOW)).toBe('overdue');
      // The quarter the leader was assigned in is owed; the quarter before is not.
      expect(leaderTrack(state({ contactLeader: leader('leader-1', '2026-08-01'), visits: [visit('2026-09-30'), visit('2026-11-01')] }), NOW)).toBe('done');
    });

    it('is due soon when the quarter ends within 14 days without a visit, open at 15', () => {
      const s = state({ contactLeader: leader() });
      expect(leaderTrack(s, at('2026-12-17'))).toBe('due_soon');
      expect(leaderTrack(s, at('2026-12-16'))).toBe('open');
      // Shanghai, not UTC: 16:30 UTC on 16 December is already the 17th in Shanghai.
      expect(leaderTrack(s, Date.parse('2026-12-16T16:30:00Z'))).toBe('due_soon');
      expect(leaderTrack(s, Date.parse('2026-12-16T15:30:00Z'))).toBe('open');
    });

    it('is open without a contact leader', () => {
      expect(leaderTrack(state(), NOW)).toBe('open');
    });
  });

  describe('team 一支队伍', () => {
    it('is done attached at the policy size, open short of it or released', () => {
      expect(teamTrack(state({ team: team(3) }))).toBe('done');
      expect(teamTrack(state({ team: team(2) }))).toBe('open');
      expect(teamTrack(state({ team: team(3, true) }))).toBe('open');
      expect(teamTrack(state({ team: team(2), policy: { ...state().policy, teamMinSize: 2 } }))).toBe('done');
    });
  });

  describe('problems 问题清单', () => {
    it('is done only confirmed with every problem closed', () => {
      const confirmed = '2026-10-21T10:00:00+08:00';
      expect(problemsTrack(state({ problems: [problem('closed')], problemListConfirmedAt: confirmed }))).toBe('done');
      expect(problemsTrack(state({ problems: [problem('closed'), problem('open')], problemListConfirmedAt: confirmed }))).toBe('open');
      expect(problemsTrack(state({ problems: [problem('closed')] }))).toBe('open');
      expect(problemsTrack(state({ problemListConfirmedAt: confirmed }))).toBe('open');
    });
  });

  describe('plan 整顿方案', () => {
    const approved = '2026-10-28T10:00:00+08:00';
    it('is due soon with a measure due in 14 days, open at 15', () => {
      expect(planTrack(state({ measures: [measure('2026-12-06')] }), NOW)).toBe('due_soon');
      expect(planTrack(state({ measures: [measure('2026-12-07')] }), NOW)).toBe('open');
    });

    it('is overdue with a measure past its due date; done measures do not count', () => {
      const s = state({ measures: [measure('2026-11-21'), measure('2027-03-01')], planApprovedAt: approved });
      expect(planTrack(s, NOW)).toBe('overdue');
      expect(overdueMeasures(s, NOW)).toHaveLength(1);
      expect(planTrack(state({ measures: [measure('2026-11-21', 'done'), measure('2027-03-01')], planApprovedAt: approved }), NOW)).toBe('open');
      expect(planTrack(state({ measures: [measure('2026-11-22')] }), NOW)).toBe('due_soon');
    });

    it('is done only approved with every measure done', () => {
      expect(planTrack(state({ measures: [measure('2026-11-30', 'done')], planApprovedAt: approved }), NOW)).toBe('done');
      expect(planTrack(state({ measures: [measure('2026-11-30', 'done')] }), NOW)).toBe('open');
      expect(planTrack(state({ planApprovedAt: approved }), NOW)).toBe('open');
    });
  });

  describe('secretary 一个关键', () => {
    it('is done when no new secretary is needed, or one is appointed', () => {
      expect(secretaryTrack(state({ secretary: secretary({ required: false }) }), NOW)).toBe('done');
      expect(secretaryTrack(complete(), NOW)).toBe('done');
    });

    it('is overdue once the deadline has passed, due soon within 14 days, open at 15', () => {
      expect(secretaryTrack(state({ secretary: secretary({ deadline: '2026-11-21' }) }), NOW)).toBe('overdue');
      expect(secretaryTrack(state({ secretary: secretary({ deadline: '2026-11-22' }) }), NOW)).toBe('due_soon');
      expect(secretaryTrack(state({ secretary: secretary({ deadline: '2026-12-06' }) }), NOW)).toBe('due_soon');
      expect(secretaryTrack(state({ secretary: secretary({ deadline: '2026-12-07' }) }), NOW)).toBe('open');
    });

    it('is overdue when the workflow marked the deadline missed, open before the team arrives', () => {
      expect(secretaryTrack(state({ secretary: secretary({ deadline: '2027-02-01', overdue: true }) }), NOW)).toBe('overdue');
      expect(secretaryTrack(state(), NOW)).toBe('open');
    });
  });

  describe('project 一个项目', () => {
    it("is done with the policy's number of projects", () => {
      expect(projectTrack(state())).toBe('open');
      expect(projectTrack(state({ projects: [project()] }))).toBe('done');
      expect(projectTrack(state({ projects: [project()], policy: { ...state().policy, minCollectiveProjects: 2 } }))).toBe('open');
    });
  });

  it('shows a converted case done on every track: acceptance checked them all', () => {
    const s = state({ stage: 'converted', acceptedAt: '2026-11-15T10:00:00+08:00', contactLeader: leader('leader-1', '2026-04-01'), secretary: secretary({ deadline: '2026-07-01', overdue: true }) });
    expect(caseTracks(s, NOW)).toEqual({ leader: 'done', team: 'done', problems: 'done', plan: 'done', secretary: 'done', project: 'done' });
    expect(yearEndOutlook(s, NOW)).toBe('converted');
  });
});

describe('year-end outlook (libs/domain/outlook.ts)', () => {
  it('counts converted, would pass now, on track, at risk (an overdue track) and will miss (year end passed)', () => {
    const converted = complete({ stage: 'converted', acceptedAt: '2026-11-15T10:00:00+08:00' });
    const passNow = complete();
    // One condition left (the project: a tenth of the course's 90 days) with 39 days to go, nothing overdue.
    const onTrack = complete({ stage: 'rectifying', projects: [] });
    const atRisk = complete({ secretary: secretary({ deadline: '2026-11-01', overdue: true }) });
    const lastYear = state({ batchYear: 2025, yearEndDeadline: '2025-12-31' });
    const all = [converted, passNow, onTrack, atRisk, lastYear];
    expect(all.map((s) => yearEndOutlook(s, NOW))).toEqual(['converted', 'would_pass_now', 'on_track', 'at_risk', 'will_miss']);
    expect(outlookCounts(all, NOW)).toEqual({ converted: 1, would_pass_now: 1, on_track: 1, at_risk: 1, will_miss: 1 });
  });

  it('never calls a case with nothing done and weeks left on track', () => {
    // Designated on 3 December: 28 days to the year end, nothing done.
    const fresh = state({ designatedAt: '2026-12-03T09:00:00+08:00' });
    expect(yearEndOutlook(fresh, at('2026-12-03'))).toBe('will_miss');
    // Eight weeks left, nothing done: the course needs 90 days.
    expect(yearEndOutlook(fresh, at('2026-11-05'))).toBe('at_risk');
    // Five months left: time enough for the whole course.
    expect(yearEndOutlook(fresh, at('2026-08-01'))).toBe('on_track');
    const detail = outlookOf(fresh, at('2026-12-03'));
    expect(detail.met).toBe(0);
    expect(detail.daysLeft).toBe(28);
    expect(detail.daysNeeded).toBe(90);
  });

  it('says what each word means, in Chinese', () => {
    for (const o of YEAR_END_OUTLOOKS) {
      expect(OUTLOOK_LABELS[o]).toMatch(/[\u4e00-\u9fa5]/);
      expect(OUTLOOK_DEFINITIONS[o]).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('passes the year end at midnight Shanghai time on 31 December', () => {
    const s = complete();
    expect(yearEndMissed(s, Date.parse('2026-12-31T15:59:59Z'))).toBe(false);
    expect(yearEndMissed(s, Date.parse('2026-12-31T16:00:00Z'))).toBe(true);
    expect(yearEndMissed(complete({ yearEndOverdue: true }), NOW)).toBe(true);
    expect(outlookCounts([], NOW)).toEqual({ converted: 0, would_pass_now: 0, on_track: 0, at_risk: 0, will_miss: 0 });
  });
});

describe('visit compliance', () => {
  it('per leader and quarter: visits required vs made, a missed completed quarter overdue', () => {
    const a1 = state({ caseId: 'a1', contactLeader: leader('A', '2026-08-01', '赵县长'), visits: [visit('2026-09-01', 'A'), visit('2026-10-20', 'A'), visit('2026-11-02', 'A')] });
    const a2 = state({ caseId: 'a2', contactLeader: leader('A', '2026-08-15', '赵县长'), visits: [visit('2026-10-21', 'A')] });
    const b = state({ caseId: 'b', contactLeader: leader('B', '2026-10-05', '钱副县长') });
    const none = state({ caseId: 'none' });
    const result = visitCompliance([a1, a2, b, none], 2026, NOW);
    expect(result).toEqual([
      {
        leaderId: 'B',
        leaderName: '钱副县长',
        cases: 1,
        quarters: [{ quarter: '2026-Q4', required: 1, visited: 0, status: 'open' }],
      },
      {
        leaderId: 'A',
        leaderName: '赵县长',
        cases: 2,
        quarters: [
          { quarter: '2026-Q3', required: 2, visited: 1, status: 'overdue' },
          // Two visits to a1 in Q4 do not make up for a2: each case counts up to what it owed.
          { quarter: '2026-Q4', required: 2, visited: 2, status: 'done' },
        ],
      },
    ]);
    expect(visitCompliance([b], 2026, at('2026-12-20'))[0].quarters[0].status).toBe('due_soon');
  });

  it('owes no quarter after the one a case was accepted in, and none outside the batch year', () => {
    const s = state({ stage: 'converted', acceptedAt: '2026-11-15T10:00:00+08:00', contactLeader: leader('A', '2026-05-01') });
    expect(quartersOwed(s, 2026, NOW).map((q) => q.quarter)).toEqual([2, 3]);
    expect(quartersOwed(state({ contactLeader: leader('A', '2026-05-01') }), 2026, NOW).map((q) => q.quarter)).toEqual([2, 3, 4]);
    expect(quartersOwed(state({ contactLeader: leader('A', '2026-05-01') }), 2027, NOW)).toEqual([]);
  });
});
