import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The ids of the patch markers a workflow history recorded, in order. */
export function patchIdsOf(events: HistoryEvent[]): string[] {
  return events.flatMap((e) =>
    e.markerRecordedEventAttributes?.markerName === 'core_patch'
      ? Object.values(e.markerRecordedEventAttributes.details ?? {}).flatMap((p) => (p.payloads ?? []).map((x) => (JSON.parse(Buffer.from(x.data!).toString('utf8')) as { id: string }).id))
      : [],
  );
}

/** The upserts of TemporalChangeVersion in a history: the SDK's core makes one for each patch marker. */
export function changeVersionUpserts(events: HistoryEvent[]): HistoryEvent[] {
  return events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.TemporalChangeVersion);
}
