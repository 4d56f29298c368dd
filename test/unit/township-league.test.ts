import { rankTownships } from '../../apps/api/src/township-records/township-records.service';
import { auditSentence } from '../../libs/domain';
import type { TownshipRecord } from '../../libs/http';

const record = (name: string, cases: number, onTime: number, converted: number, escalations: number): TownshipRecord => ({
  townshipId: name,
  townshipName: name,
  year: 2026,
  cases,
  removed: 0,
  converted,
  convertedOnTime: onTime,
  onTimeRate: cases ? onTime / cases : null,
  escalations: { supervision: escalations, public_notice: 0, interview: 0, total: escalations },
  visits: 0,
  organizationalHandling: { awaitingDecision: 0, decided: 0 },
});

describe('the township league (issue 18 item 5): by results only', () => {
  it('orders by on-time conversion rate, then conversion rate, then fewer escalations; equal results share a rank; no case comes last', () => {
    const ranked = rankTownships([
      record('无案件镇', 0, 0, 0, 0),
      record('多督办镇', 2, 1, 1, 5),
      record('全按期镇', 1, 1, 1, 0),
      record('少督办镇', 4, 2, 2, 1),
      record('同分镇', 4, 2, 2, 1),
      record('晚转化镇', 2, 1, 2, 9),
    ]);
    expect(ranked.map((r) => [r.record.townshipName, r.rank])).toEqual([
      ['全按期镇', 1],
      ['晚转化镇', 2],
      ['少督办镇', 3],
      ['同分镇', 3],
      ['多督办镇', 5],
      ['无案件镇', 6],
    ]);
  });

  it('reads a document issued, and the league published, in words', () => {
    const actor = { name: '李组织', role: 'county_org_admin' };
    const bulletin = auditSentence({
      occurredAt: '2026-11-03T02:00:00Z',
      action: 'document.issued',
      payload: { kind: 'bulletin', numberText: '禾组通〔2026〕3号', organizationNames: ['石桥村党支部', '高岗村党支部', '青石社区党支部'], reissued: false },
      actor,
      organizationName: null,
    });
    expect(bulletin).toBe('2026年11月3日 李组织（县委组织部）印发了通报「禾组通〔2026〕3号」（石桥村党支部、高岗村党支部等3个基层党组织）');
    const order = auditSentence({ occurredAt: '2026-11-03T02:00:00Z', action: 'document.issued', payload: { kind: 'supervision_order', numberText: '禾组通〔2026〕1号', organizationNames: ['石桥村党支部'], reissued: true }, actor, organizationName: '石桥村党支部' });
    expect(order).toBe('2026年11月3日 李组织（县委组织部）为 石桥村党支部 再次下载了督办单「禾组通〔2026〕1号」');
    const league = auditSentence({ occurredAt: '2026-11-03T02:00:00Z', action: 'league_table.updated', payload: { year: 2026, published: true, columns: ['onTimeRate', 'visits'] }, actor, organizationName: null });
    expect(league).toBe('2026年11月3日 李组织（县委组织部）公布了2026年度乡镇整顿实绩排名（公布按期转化率、联系领导调研指导次数）');
  });
});
