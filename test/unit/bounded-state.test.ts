import {
  addDays,
  applyClock,
  applyRatingCommand,
  newStarRatingState,
  RatingRuleViolation,
  CONSULTATION_KINDS,
  DEFAULT_POLICY,
  deriveTasks,
  newCaseState,
  nextWakeUp,
  quarterEnd,
  shanghaiDateOf,
  UNBENT_RULES_VERSION,
  type Actor,
  type CaseState,
} from '../../libs/domain';
import { county, township, at, act } from '../support/case-machine';

/**
 * Issue 17, a bounded state: 组织处理's `due` is appended to by the clock (a deadline at the policy's
 * days overdue is put to the county), not by an action. Under the bounded state the decided entries of
 * deadlines no longer open are folded into a count, so years of overdue quarters leave `due` as small
 * as the open work; a case without it keeps every entry, as its recorded history did.
 */
const teamLeader: Actor = { id: 'tl', name: '队长', role: 'team_leader' };


/** A case rectifying from 2030-01-05 (no secretary to appoint), its contact leader assigned and never visiting. */
function rectifying(bounded: boolean): CaseState {
  const s = newCaseState({
    caseId: 'case-b',
    organization: { id: 'o', name: '某村党支部', townshipId: 'tw', countyId: 'cy' },
    batchYear: 2030,
    reasons: ['C4'],
    designatedBy: county,
    designatedAt: new Date(at('2030-01-05')).toISOString(),
    policy: { ...DEFAULT_POLICY },
  });
  s.rulesVersion = UNBENT_RULES_VERSION;
  if (bounded) s.boundedState = true;
  const now = at('2030-01-05');
  act(s, 'assignContactLeader', { actor: county, leader: { id: 'l', name: '赵县', title: '副县长', isCountyPartySecretary: false } }, now);
  act(
    s,
    'appointTeam',
    {
      actor: township,
      arrivedOn: '2030-01-05',
      members: [
        { name: 'a', rank: 'section', unit: 'u', isLeader: true },
        { name: 'b', rank: 'staff', unit: 'u' },
        { name: 'c', rank: 'staff', unit: 'u' },
      ],
    },
    now,
  );
  act(s, 'addProblem', { actor: teamLeader, description: '三会一课不正常', reasonCode: 'C4', cureTag: '治散', rootCause: '支部组织生活长期不开展', evidence: '会议记录空白' }, now);
  act(s, 'confirmProblemList', { actor: township }, now);
  for (const kind of CONSULTATION_KINDS) act(s, 'recordConsultation', { actor: teamLeader, kind, heldOn: '2030-01-05', participants: 12, summary: '征求对整顿方案的意见' }, now);
  // The notices ran: the ladder climbed to 约谈 for the overdue year end.
  s.notices = { signature: '', planned: [], done: [], firstPlannedAt: {}, open: [], raisedByRung: { interview: 1 } };
  return s;
}

/**
 * Six years, a quarter at a time: each quarter the team adds a measure due at its end and the plan is
 * approved again; nobody finishes it in time, so 45 days overdue the clock puts it to the county, which
 * decides; then the measure is done. The year end passed unconverted and stays open all along.
 * Returns the largest `due` seen after any wake-up.
 */
function sixNeglectedYears(s: CaseState): { largestDue: number; raised: string[] } {
  let now = at('2030-01-06');
  let largestDue = 0;
  const raised: string[] = [];
  const runClockTo = (until: number) => {
    for (let guard = 0; guard < 1000; guard++) {
      const wake = nextWakeUp(s, now);
      if (wake === undefined || wake > until) break;
      now = Math.max(wake, now + 1);
      for (const e of applyClock(s, now)) if (e.action === 'organizational_handling.raised') raised.push(`${String(e.payload.deadlineKey)}@${String(e.payload.dueOn)}`);
      largestDue = Math.max(largestDue, s.organizationalHandling?.due.length ?? 0);
    }
    now = Math.max(now, until);
  };
  for (let year = 2030; year < 2036; year++) {
    for (const quarter of [1, 2, 3, 4] as const) {
      const dueOn = quarterEnd({ year, quarter });
      runClockTo(at(addDays(dueOn, -80)));
      act(s, 'addMeasure', { actor: teamLeader, description: `${year}年第${quarter}季度：恢复三会一课`, problemIds: [s.problems[0].id], owner: '村支委', dueOn }, now);
      act(s, 'approvePlan', { actor: township }, now);
      const measureId = s.measures.at(-1)!.id;
      // Past its 45 days overdue it is put to the county; then the measure is done. The county decides
      // every half year, on all that was put to it meanwhile.
      runClockTo(at(addDays(dueOn, 46)));
      expect(deriveTasks(s, now).filter((t) => t.kind === 'decide_organizational_handling').map((t) => t.subjectId)).toContain(`measure:${measureId}`);
      act(s, 'updateMeasureProgress', { actor: teamLeader, measureId, percent: 100, note: '已按期恢复并形成会议记录' }, now);
      if (quarter % 2 === 0) {
        act(s, 'recordOrganizationalHandling', { actor: county, measure: 'admonition_talk', subject: '村支委 某某', decidedBy: '县委组织部部务会', decidedOn: shanghaiDateOf(now), reason: '整改措施逾期四十五天仍未完成' }, now);
        expect(deriveTasks(s, now).map((t) => t.kind)).not.toContain('decide_organizational_handling');
      }
    }
  }
  return { largestDue, raised };
}

describe('a bounded state: 组织处理 entries the clock appends', () => {
  it('stays as small as the open work over six years of overdue quarters, raising no deadline twice', () => {
    const s = rectifying(true);
    const { largestDue, raised } = sixNeglectedYears(s);
    // 24 measures and the year end were each put to the county once, and decided.
    expect(raised).toHaveLength(25);
    expect(new Set(raised).size).toBe(25);
    expect(s.organizationalHandling!.decisions).toHaveLength(12);
    // Left at any moment: the year end (decided, still open), what waits for the next decision, and what
    // was decided since the clock last appended (it folds at its next append); the rest is a count.
    expect(largestDue).toBeLessThanOrEqual(4);
    expect(s.organizationalHandling!.due.length).toBeLessThanOrEqual(3);
    expect(s.organizationalHandling!.due.map((d) => d.deadlineKey)).toContain('year_end');
    expect(s.organizationalHandling!.due.length + s.organizationalHandling!.foldedDecided!).toBe(25);
  });

  it('still takes a decision naming a deadline folded away', () => {
    const s = rectifying(true);
    sixNeglectedYears(s);
    const folded = s.organizationalHandling!.decisions[0].deadlineKeys[0];
    expect(s.organizationalHandling!.due.map((d) => d.deadlineKey)).not.toContain(folded);
    const now = at('2036-03-01');
    const recorded = act(s, 'recordOrganizationalHandling', { actor: county, measure: 'dismissal', subject: '原村支委 某某', decidedBy: '县委', decidedOn: '2036-03-01', reason: '整改措施长期逾期，经研究决定免职', deadlineKeys: [folded] }, now);
    expect(recorded[0].payload.deadlineKeys).toEqual([folded]);
  });

  it('keeps every entry on a case without it, as its recorded history did', () => {
    const s = rectifying(false);
    sixNeglectedYears(s);
    expect(s.organizationalHandling!.due).toHaveLength(25);
    expect(s.organizationalHandling!.foldedDecided).toBeUndefined();
  });
});

describe('a bounded state: the star rating\'s objections', () => {
  const T0 = Date.parse('2030-11-02T02:00:00Z');
  function onNotice() {
    const s = newStarRatingState({
      ratingId: 'star-rating-2030-o1',
      organization: { id: 'o1', name: '东村党支部', domain: 'village', townshipId: 't', countyId: 'c', regionId: 'v' },
      year: 2030,
      publicNoticeDays: 5,
      startedBy: county,
      startedAt: new Date(T0).toISOString(),
    });
    applyRatingCommand(s, 'applyForRating', { actor: township, selfScore: 82, appliedStars: 3, selfCheck: '自查' }, T0);
    applyRatingCommand(s, 'evaluateRating', { actor: township, score: 81, opinion: '考核' }, T0);
    return s;
  }
  const objection = (n: number) => ({ actor: township, objector: `村民${n}`, content: '反映该村三会一课未按时开展' });

  it('refuses the 21st objection, counting the resolved ones too', () => {
    const s = onNotice();
    for (let n = 1; n <= 20; n++) {
      applyRatingCommand(s, 'raiseObjection', objection(n), T0 + n);
      applyRatingCommand(s, 'resolveObjection', { actor: township, objectionId: s.objections.at(-1)!.id, upheld: false, resolution: '经核查，异议不成立，恢复公示' }, T0 + n);
    }
    expect(s.stage).toBe('public_notice');
    expect(() => applyRatingCommand(s, 'raiseObjection', objection(21), T0 + 30)).toThrow(RatingRuleViolation);
    expect(() => applyRatingCommand(s, 'raiseObjection', objection(21), T0 + 30)).toThrow(/RATING_LIMIT_REACHED.*公示期间的异议最多20条（objections），本次评定已有20条/);
    expect(s.objections).toHaveLength(20);
  });

  it('stops objections of the longest texts by the rating\'s size before the count, leaving room to settle them', () => {
    const s = onNotice();
    const long = (n: number) => `第${n}条：${'反映该村三会一课未按时开展，'.repeat(140)}`.slice(0, 2000);
    let refusal: unknown;
    for (let n = 1; n <= 20 && !refusal; n++) {
      try {
        applyRatingCommand(s, 'raiseObjection', { actor: township, objector: `村民${n}`, content: long(n) }, T0 + n);
      } catch (err) {
        refusal = err;
      }
    }
    expect(refusal).toBeInstanceOf(RatingRuleViolation);
    expect((refusal as RatingRuleViolation).details).toMatchObject({ limit: 'stateBytes', max: 192 * 1024 });
    expect((refusal as Error).message).toContain('请精简文字');
    const open = s.objections.length;
    expect(open).toBeLessThan(20);
    // Every open objection can still be settled at the longest texts: one upheld sets the rest aside, and the re-evaluation fits.
    for (const o of s.objections.slice(0, -1)) applyRatingCommand(s, 'resolveObjection', { actor: township, objectionId: o.id, upheld: false, resolution: long(0) }, T0 + 40);
    applyRatingCommand(s, 'resolveObjection', { actor: township, objectionId: s.objections.at(-1)!.id, upheld: true, resolution: long(0) }, T0 + 41);
    applyRatingCommand(s, 'evaluateRating', { actor: township, score: 75, opinion: long(0) }, T0 + 42);
    expect(Buffer.byteLength(JSON.stringify(s))).toBeLessThanOrEqual(192 * 1024);
  });

  it('replays a history recorded before the limit (limits: false) as it was', () => {
    const s = onNotice();
    for (let n = 1; n <= 21; n++) applyRatingCommand(s, 'raiseObjection', objection(n), T0 + n, { limits: n <= 20 });
    expect(s.objections).toHaveLength(21);
  });
});
