/**
 * The shapes the dashboard reads from the API: the API's own response types (libs/http, imported as
 * `@contract`), never copies, so a change of a response is a type error here.
 */
import type { Track } from '@contract';

export type * from '@contract';

/** The six tracks "六个一" by their domain keys. */
export type TrackKey = Track;
