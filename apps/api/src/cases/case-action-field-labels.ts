/** Chinese labels of the case action endpoints' fields (merged into FIELD_LABELS). */
export const CASE_ACTION_FIELD_LABELS: Record<string, string> = {};
