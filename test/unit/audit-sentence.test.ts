import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { auditActionLabel, auditSentence } from '../../libs/domain';

const ROOT = join(__dirname, '..', '..');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Every audit action the code writes: `action: '…'` in the API, the domain and the activities. */
function recordedActions(): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) for (const m of readFileSync(path, 'utf8').matchAll(/action: '([a-z_]+\.[a-z_]+)'/g)) found.add(m[1]);
    }
  };
  for (const dir of ['apps/api/src', 'libs/domain', 'activities', 'workflows']) walk(join(ROOT, dir));
  // Star ratings have their own trail and drawer words (star-rating-labels.ts).
  return [...found].filter((a) => !a.startsWith('star_rating.')).sort();
}

describe('the audit trail in words (issue 13: no raw keys, issue 14: every administrative change)', () => {
  it('has a Chinese name and a sentence for every action the code records', () => {
    const actions = recordedActions();
    expect(actions.length).toBeGreaterThan(40);
    const unnamed = actions.filter((a) => auditActionLabel(a) === '其他操作');
    const unsaid = actions.filter((a) => auditSentence({ occurredAt: '2026-11-03T02:00:00Z', action: a, payload: {}, actor: { name: '王禾丰', role: 'county_org_admin' }, organizationName: null }).includes('进行了一项操作'));
    expect({ unnamed, unsaid }).toEqual({ unnamed: [], unsaid: [] });
  });

  it('says who did what with the values that matter, and no ids', () => {
    const actor = { name: '李组织', role: 'county_org_admin' };
    const moved = auditSentence({
      occurredAt: '2026-11-03T02:00:00Z',
      action: 'user.moved',
      payload: { userId: '0b0c7f7e-3a51-4f0e-9a55-4a3f2c1d9e01', name: '张队员', toRegion: '青石镇', releasedTasks: ['case-2026-x:appoint_team'] },
      actor,
      organizationName: null,
    });
    expect(moved).toBe('2026年11月3日 李组织（县委组织部）将 张队员 调整到青石镇（交回 1 项已认领待办）');
    const renamed = auditSentence({ occurredAt: '2026-11-03T02:00:00Z', action: 'region.renamed', payload: { regionId: '0b0c7f7e-3a51-4f0e-9a55-4a3f2c1d9e01', before: '石桥村', after: '石桥社区' }, actor, organizationName: null });
    expect(renamed).toContain('将区划「石桥村」更名为「石桥社区」');
    for (const s of [moved, renamed]) expect(s).not.toMatch(UUID);
  });
});
