import { temporal } from '@temporalio/proto';
import fs from 'node:fs';
import path from 'node:path';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The ids of the patch markers a workflow history recorded, in order. */
export function patchIdsOf(events: HistoryEvent[]): string[] {
  return events.flatMap((e) =>
    e.markerRecordedEventAttributes?.markerName === 'core_patch'
      ? Object.values(e.markerRecordedEventAttributes.details ?? {}).flatMap((p) => (p.payloads ?? []).map((x) => (JSON.parse(Buffer.from(x.data!).toString('utf8')) as { id: string }).id))
      : [],
  );
}

/** The activity type of each local activity a history recorded (its core_local_activity markers), in order. */
export function localActivityTypesOf(events: HistoryEvent[]): string[] {
  return events.flatMap((e) => {
    const m = e.markerRecordedEventAttributes;
    const data = m?.markerName === 'core_local_activity' ? m.details?.data?.payloads?.[0]?.data : undefined;
    return data ? ((JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type ?? []) : [];
  });
}

/** The activity type of each activity task a history scheduled, in order. */
export function scheduledActivityTypesOf(events: HistoryEvent[]): string[] {
  return events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
}

/** The upserts of TemporalChangeVersion in a history: the SDK's core makes one for each patch marker. */
export function changeVersionUpserts(events: HistoryEvent[]): HistoryEvent[] {
  return events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.TemporalChangeVersion);
}

/** What the run's input names as the patches it takes (`takesPatches`), from its first event. */
export function takesPatchesOf(events: HistoryEvent[]): string | undefined {
  const data = events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
  return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { takesPatches?: string }).takesPatches : undefined;
}

/**
 * Saves a history as a replay fixture (test/fixtures/histories) when RECORD_HISTORIES=1 — only if no fixture of
 * that name exists: fixtures recorded by older workflow code are what guards running cases, so they are never
 * overwritten. Record a new version under a new name.
 */
export function recordHistoryFixture(name: string, history: temporal.api.history.v1.IHistory): void {
  const dir = path.join(__dirname, '..', 'fixtures', 'histories');
  if (process.env.RECORD_HISTORIES !== '1' || fs.existsSync(path.join(dir, `${name}.binpb`))) return;
  fs.mkdirSync(dir, { recursive: true });
  // Binary protobuf: exact, and independent of JSON conventions between SDK versions.
  const { History } = temporal.api.history.v1;
  fs.writeFileSync(path.join(dir, `${name}.binpb`), History.encode(History.fromObject(history)).finish());
}

/** The outcomes of a history's Updates (their answers' JSON text), oldest first. */
export function updateOutcomesOf(events: HistoryEvent[]): string[] {
  return events
    .map((e) => e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success?.payloads?.[0]?.data)
    .filter((data): data is Uint8Array => data instanceof Uint8Array)
    .map((data) => Buffer.from(data).toString('utf8'));
}
