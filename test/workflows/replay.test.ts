import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { quietTemporalRuntime } from '../support/harness';
import { localActivityTypesOf, patchIdsOf, scheduledActivityTypesOf, takesPatchesOf } from '../support/history-events';

/**
 * Replays recorded case histories (test/fixtures/histories, committed) against the current workflow
 * code: a change that is not behind patched() makes replay fail here, in CI, before it reaches a
 * running case. Record new fixtures with `npm run fixtures:record`.
 */
const dir = path.join(__dirname, '..', 'fixtures', 'histories');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.binpb')).sort() : [];

/** The events of a recorded history, by its name. */
const eventsOf = (name: string) => temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, `${name}.binpb`))).events ?? [];

describe('replay of recorded case histories', () => {
  beforeAll(() => quietTemporalRuntime());

  it('has recorded histories to replay', () => {
    expect(files).toEqual(expect.arrayContaining(['happy-path.binpb', 'relapse.binpb', 'removed-from-list.binpb']));
  });

  it('has histories recorded since a change writes in one activity (patch single-sync-activity-v1)', () => {
    for (const name of ['happy-path-single-sync', 'late-measure-single-sync']) {
      const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, `${name}.binpb`)));
      const scheduled = (history.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
      expect(scheduled).toContain('syncCase');
      for (const separate of ['projectCase', 'planNotices', 'raiseNotices']) expect(scheduled).not.toContain(separate);
    }
  });

  it('has histories recorded since cases are bounded (patches case-limits-v1, lean-sync-v1): syncCase gets no tasks and no notice plan', () => {
    for (const name of ['happy-path-bounded', 'late-measure-bounded']) {
      const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, `${name}.binpb`)));
      const inputs = (history.events ?? [])
        .flatMap((e) => (e.activityTaskScheduledEventAttributes?.activityType?.name === 'syncCase' ? (e.activityTaskScheduledEventAttributes.input?.payloads ?? []) : []))
        .map((p) => JSON.parse(Buffer.from(p.data!).toString('utf8')) as { projection?: { state: Record<string, unknown>; tasks?: unknown; nowMs?: number } });
      const projections = inputs.flatMap((i) => (i.projection ? [i.projection] : []));
      expect(projections.length).toBeGreaterThan(3);
      for (const p of projections) {
        expect(p.tasks).toBeUndefined();
        expect(p.state.notices).toBeUndefined();
        expect(typeof p.nowMs).toBe('number');
      }
    }
  });

  it('has histories recorded under issue 16\'s rules (patch unbent-rules-v1): 代录 and 组织处理, an overdue 回头看 and a relapse in February', () => {
    for (const name of ['proxy-visit-and-organizational-handling', 'overdue-review-and-relapse-in-february']) {
      const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, `${name}.binpb`)));
      const markers = (history.events ?? []).flatMap((e) => {
        const m = e.markerRecordedEventAttributes;
        if (m?.markerName !== 'core_patch') return [];
        return Object.values(m.details ?? {}).flatMap((p) => (p.payloads ?? []).map((x) => Buffer.from(x.data!).toString('utf8')));
      });
      expect(markers.join(' ')).toContain('unbent-rules-v1');
      const updates = (history.events ?? []).flatMap((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? []);
      expect(updates).toEqual(expect.arrayContaining(name.startsWith('proxy') ? ['confirmGuidanceVisit', 'recordOrganizationalHandling'] : ['recordFollowUp']));
    }
  });

  it('has a history recorded since extensions (patch deadline-extensions-v1): a refused and an approved 延期, the ladder re-timed', () => {
    const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, 'deadline-extension-approved.binpb')));
    const markers = (history.events ?? []).flatMap((e) => (e.markerRecordedEventAttributes?.markerName === 'core_patch' ? Object.values(e.markerRecordedEventAttributes.details ?? {}) : []));
    expect(JSON.stringify(markers.map((m) => (m.payloads ?? []).map((x) => Buffer.from(x.data!).toString('utf8'))))).toContain('deadline-extensions-v1');
    const updates = (history.events ?? []).flatMap((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? []);
    expect(updates).toEqual(expect.arrayContaining(['requestExtension', 'decideExtension']));
  });

  it('has histories recorded since a change syncs in a local activity (patch local-sync-v1): syncCase as markers, never an activity task', () => {
    for (const name of ['happy-path-local-sync', 'late-measure-local-sync']) {
      const events = eventsOf(name);
      expect(patchIdsOf(events)).toContain('local-sync-v1');
      expect(localActivityTypesOf(events).filter((t) => t === 'syncCase').length).toBeGreaterThan(3);
      expect(scheduledActivityTypesOf(events)).not.toContain('syncCase');
    }
  });

  it('has histories recorded since a run takes every patch at once (patch all-patches-v1): one patch marker, first', () => {
    for (const name of ['happy-path-all-patches', 'late-measure-all-patches']) {
      const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, `${name}.binpb`)));
      const commands = (history.events ?? []).filter((e) => e.markerRecordedEventAttributes || e.upsertWorkflowSearchAttributesEventAttributes || e.timerStartedEventAttributes);
      expect(patchIdsOf(commands)).toEqual(['all-patches-v1']);
      expect(commands[0].markerRecordedEventAttributes?.markerName).toBe('core_patch');
    }
  });

  it('has histories recorded since the case\'s timer stands (patch all-patches-v2): one patch marker, fewer timers than actions', () => {
    for (const name of ['happy-path-standing-timer', 'late-measure-standing-timer']) {
      const events = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, `${name}.binpb`))).events ?? [];
      expect(patchIdsOf(events)).toEqual(['all-patches-v2']);
      const timers = events.filter((e) => e.timerStartedEventAttributes).length;
      const updates = events.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes).length;
      expect(timers).toBeLessThan(updates);
    }
  });

  it('has a history recorded since a new run names its patches in its input: no patch marker at all', () => {
    const events = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, 'happy-path-patches-in-input.binpb'))).events ?? [];
    expect(patchIdsOf(events)).toEqual([]);
    expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length).toBeGreaterThan(10);
  });

  it('has a history recorded since an action waits for the first look (all-patches-v3): the action came with the start', () => {
    const events = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, 'action-with-start.binpb'))).events ?? [];
    expect(takesPatchesOf(events)).toBe('all-patches-v3');
    // Accepted in the run's first workflow task; before it completes, the designation's, the clock's and its own sync.
    const firstCompleted = events.findIndex((e) => e.workflowTaskCompletedEventAttributes);
    const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    const completed = events.findIndex((e) => e.workflowExecutionUpdateCompletedEventAttributes);
    expect(accepted).toBe(firstCompleted + 1);
    expect(events.slice(accepted, completed).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toHaveLength(3);
  });

  it('has a channel dispatcher\'s history from before its sends were local (patch local-digest-v1), and one from after', () => {
    const scheduledSends = (events: ReturnType<typeof eventsOf>) => scheduledActivityTypesOf(events).filter((t) => t === 'sendNextDigest').length;
    const localSends = (events: ReturnType<typeof eventsOf>) => localActivityTypesOf(events).filter((t) => t === 'sendNextDigest').length;
    // Recorded by test/integration/delivery.test.ts (its rate-window test): several digests and a wait for the window.
    const before = eventsOf('deliver-notices-rate-window');
    expect(scheduledSends(before)).toBeGreaterThanOrEqual(5);
    expect(before.some((e) => e.timerStartedEventAttributes)).toBe(true);
    const after = eventsOf('deliver-notices-rate-window-local-digest');
    expect(patchIdsOf(after)).toEqual(['local-digest-v1']);
    expect(scheduledSends(after)).toBe(0);
    expect(localSends(after)).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('replays %s deterministically with the current workflow code', async (file) => {
    const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, file)));
    expect(history.events?.length).toBeGreaterThan(10);
    await Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows') }, history, path.basename(file, '.binpb'));
  });
});
