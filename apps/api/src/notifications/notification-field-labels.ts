/** Chinese labels of the notification, escalation and channel endpoints' fields (merged into FIELD_LABELS). */
export const NOTIFICATION_FIELD_LABELS: Record<string, string> = {
  // GET /api/notifications
  unread: '仅看未读',
  // GET /api/escalations (status, kind, caseId and cursor keep their shared labels)
  rung: '问责层级',
  // POST/PATCH channels (name keeps the shared label 姓名或名称)
  url: '渠道地址',
  secret: '签名密钥',
  enabled: '是否启用',
  maxPerMinute: '每分钟最多消息数',
  batchSize: '每条汇总消息最多通知数',
  // GET /api/deliveries
  channelId: '推送渠道',
};
