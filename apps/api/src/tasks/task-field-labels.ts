/** Chinese labels of the tasks and audit endpoints' fields (merged into FIELD_LABELS). */
export const TASK_FIELD_LABELS: Record<string, string> = {};
