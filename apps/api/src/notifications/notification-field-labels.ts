/** Chinese labels of the notification, escalation and channel endpoints' fields (merged into FIELD_LABELS). */
export const NOTIFICATION_FIELD_LABELS: Record<string, string> = {};
