import {
  applyCommand,
  DEFAULT_POLICY,
  dueNotices,
  newCaseState,
  noticePlanRequest,
  openDeadlines,
  validateCommand,
  type CaseCommandInputs,
  type CaseCommandName,
  type CaseState,
  type PlannedNotice,
} from '../../libs/domain';
import { county, township, at } from '../support/case-machine';


function run<K extends CaseCommandName>(s: CaseState, name: K, input: CaseCommandInputs[K], now: number) {
  validateCommand(s, name, input, now);
  applyCommand(s, name, input, now);
}

function rectifying(): CaseState {
  const s = newCaseState({
    caseId: 'case-x',
    organization: { id: 'o', name: '某村党支部', townshipId: 'tw', countyId: 'cy', regionId: 'vg' },
    batchYear: 2030,
    reasons: ['C1'],
    designatedBy: county,
    designatedAt: new Date(at('2030-01-04')).toISOString(),
    policy: DEFAULT_POLICY,
  });
  run(s, 'assignContactLeader', { actor: county, leader: { id: 'l', name: '赵', title: '副县长', isCountyPartySecretary: false } }, at('2030-01-04'));
  run(s, 'appointTeam', { actor: township, arrivedOn: '2030-01-04', members: [
    { name: 'a', rank: 'section', unit: 'u', isLeader: true }, { name: 'b', rank: 'staff', unit: 'u' }, { name: 'c', rank: 'staff', unit: 'u' },
  ] }, at('2030-01-04'));
  return s;
}

describe('deadlines of a case', () => {
  it('lists the quarter visit, the secretary, each measure and the year end while rectifying', () => {
    const s = rectifying();
    const d = openDeadlines(s, at('2030-01-05'));
    expect(d.map((x) => [x.key, x.dueOn])).toEqual([
      ['quarter_visit:2030-Q1', '2030-03-31'],
      ['secretary', '2030-04-04'],
      ['year_end', '2030-12-31'],
    ]);
    // The quarter's escalation goes to the township secretary and the county organization department.
    expect(d[0].escalationRecipients?.supervision?.map((r) => r.role)).toEqual(['township_party_secretary', 'county_org_admin']);
    expect(d[0].responsible).toEqual([{ role: 'county_leader', regionId: 'cy', userId: 'l' }]);
  });

  it('keeps the quarter just ended open while its visit is missing, and drops what was done', () => {
    const s = rectifying();
    expect(openDeadlines(s, at('2030-04-01')).map((x) => x.key)).toContain('quarter_visit:2030-Q1');
    run(s, 'recordGuidanceVisit', { actor: { id: 'l', name: '赵', role: 'county_leader' }, visitedOn: '2030-04-02', place: '村部', summary: '调研' }, at('2030-04-02'));
    expect(openDeadlines(s, at('2030-04-02')).map((x) => x.key)).toEqual(['quarter_visit:2030-Q1', 'secretary', 'year_end']);
  });

  it('stops everything once the case is accepted', () => {
    const s = rectifying();
    s.stage = 'converted';
    s.acceptedAt = new Date(at('2030-05-01')).toISOString();
    expect(openDeadlines(s, at('2030-05-02'))).toEqual([]);
  });

  it('sends each escalation rung a level higher', () => {
    const r = noticePlanRequest(rectifying(), []);
    expect(r.escalationRecipients.supervision[0].role).toBe('township_party_secretary');
    expect(r.escalationRecipients.public_notice[0].role).toBe('county_org_admin');
    expect(r.escalationRecipients.interview[0].role).toBe('county_party_secretary');
    expect(r).toMatchObject({ reminderDaysBefore: [14, 3], escalationDaysOverdue: { supervision: 1, publicNotice: 15, interview: 30 } });
  });
});

describe('which planned notices go out now', () => {
  const notice = (deadlineKey: string, rung: PlannedNotice['rung'], date: string): PlannedNotice => ({
    key: `case-x:${deadlineKey}:${rung}`,
    caseId: 'case-x',
    deadlineKey,
    kind: 'measure',
    rung,
    offsetDays: 0,
    title: 't',
    reason: 'r',
    dueOn: '2030-06-30',
    on: date,
    atMs: at(date, 9),
    recipients: [],
  });

  it('raises what is due and nothing early', () => {
    const planned = [notice('measure:m1', 'reminder', '2030-06-16'), notice('measure:m1', 'supervision', '2030-07-01')];
    const { raise, skip } = dueNotices(planned, new Set(), { 'measure:m1': at('2030-01-10') }, at('2030-06-20'));
    expect(raise.map((n) => n.rung)).toEqual(['reminder']);
    expect(skip).toEqual([]);
  });

  it('does not raise late what was already past when planned: only the highest rung reached', () => {
    const planned = [
      notice('measure:m1', 'reminder', '2030-06-16'),
      notice('measure:m1', 'supervision', '2030-07-01'),
      notice('measure:m1', 'public_notice', '2030-07-15'),
      notice('measure:m1', 'interview', '2030-07-30'),
    ];
    const { raise, skip } = dueNotices(planned, new Set(), { 'measure:m1': at('2030-07-20') }, at('2030-07-20'));
    expect(raise.map((n) => n.rung)).toEqual(['public_notice']);
    expect(skip.map((n) => n.rung).sort()).toEqual(['reminder', 'supervision']);
  });
});
