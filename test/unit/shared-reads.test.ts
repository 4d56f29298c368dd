import { SharedReads, sharedReadKey } from '../../apps/api/src/common/shared-reads';

/** A read the test finishes by hand, numbered in the order reads began. */
function controlledReads() {
  const begun: { n: number; finish: (value: string) => void; fail: (err: Error) => void }[] = [];
  const read = () =>
    new Promise<string>((resolve, reject) => {
      const n = begun.length + 1;
      begun.push({ n, finish: resolve, fail: reject });
    });
  return { begun, read };
}

const tick = () => new Promise((r) => setImmediate(r));

/** One read of county A on its way, and two colleagues asking for the same while it runs. */
async function twoArriveDuringARead() {
  const shared = new SharedReads();
  const reads = controlledReads();
  const first = shared.run('county-a', reads.read);
  await tick();
  const second = shared.run('county-a', reads.read);
  const third = shared.run('county-a', reads.read);
  return { shared, ...reads, first, second, third };
}

describe('shared reads: people opening the same dashboard at once share one database read, never an older one', () => {
  it('a request arriving while a read runs waits for the next read, which everyone who arrived meanwhile shares', async () => {
    // Two colleagues open the dashboard while the first read is on its way: it began before them, so its
    // figures may predate an action they have just taken; they must not get it.
    const { shared, begun, read, first, second, third } = await twoArriveDuringARead();
    await tick();
    expect(begun).toHaveLength(1);
    begun[0].finish('figures read before the colleagues arrived');
    await expect(first).resolves.toBe('figures read before the colleagues arrived');
    await tick();
    expect(begun).toHaveLength(2);
    begun[1].finish('figures read after they arrived');
    await expect(second).resolves.toBe('figures read after they arrived');
    await expect(third).resolves.toBe('figures read after they arrived');
    // Nothing is kept: the next request reads again.
    const later = shared.run('county-a', read);
    await tick();
    expect(begun).toHaveLength(3);
    begun[2].finish('a later read');
    await expect(later).resolves.toBe('a later read');
  });

  it('different keys never share (another county, another person’s tasks)', async () => {
    const shared = new SharedReads();
    const { begun, read } = controlledReads();
    const a = shared.run('county-a', read);
    const b = shared.run('county-b', read);
    await tick();
    expect(begun).toHaveLength(2);
    begun[0].finish('A');
    begun[1].finish('B');
    await expect(a).resolves.toBe('A');
    await expect(b).resolves.toBe('B');
  });

  it('a failed read fails everyone who shared it, and the next request reads anew', async () => {
    const { shared, begun, read, first, second, third } = await twoArriveDuringARead();
    begun[0].finish('ok');
    await first;
    await tick();
    begun[1].fail(new Error('database went away'));
    await expect(second).rejects.toThrow('database went away');
    await expect(third).rejects.toThrow('database went away');
    const again = shared.run('county-a', read);
    await tick();
    begun[2].finish('ok again');
    await expect(again).resolves.toBe('ok again');
  });

  it('keys name who asks: one role and region share figures, a person’s own tasks are theirs alone', () => {
    const query = { batchYear: 2026 };
    const staffA = { id: 'a', role: 'county_org_admin', regionId: 'county-1' };
    const staffB = { id: 'b', role: 'county_org_admin', regionId: 'county-1' };
    expect(sharedReadKey('overview', { role: staffA.role, regionId: staffA.regionId }, query)).toBe(sharedReadKey('overview', { role: staffB.role, regionId: staffB.regionId }, query));
    expect(sharedReadKey('overview', { role: 'township_party_secretary', regionId: 'county-1' }, query)).not.toBe(sharedReadKey('overview', { role: staffA.role, regionId: staffA.regionId }, query));
    expect(sharedReadKey('overview', { role: staffA.role, regionId: 'county-2' }, query)).not.toBe(sharedReadKey('overview', { role: staffA.role, regionId: staffA.regionId }, query));
    expect(sharedReadKey('tasks', { id: staffA.id }, query)).not.toBe(sharedReadKey('tasks', { id: staffB.id }, query));
    expect(sharedReadKey('overview', { role: staffA.role, regionId: staffA.regionId }, { batchYear: 2025 })).not.toBe(sharedReadKey('overview', { role: staffA.role, regionId: staffA.regionId }, query));
  });
});
