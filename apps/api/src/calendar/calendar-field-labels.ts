/** Chinese labels of the calendar endpoints' fields (merged into FIELD_LABELS). */
export const CALENDAR_FIELD_LABELS: Record<string, string> = {};
