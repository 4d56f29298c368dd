import { useQuery } from '@tanstack/vue-query';
import { computed } from 'vue';
import { get, session } from './api/client';

import type { NotificationItem, NotificationPage } from './api/types';

/** One page of my inbox as GET /api/notifications answers it. */
export type InboxPage = NotificationPage;
export type InboxItem = NotificationItem;

export const INBOX_KEY = ['notifications'] as const;

/** My unread messages, for the bell and the 消息 tab's badge; refreshed every minute and after reading. */
export function useUnreadCount() {
  const q = useQuery({
    queryKey: [...INBOX_KEY, 'unread'],
    queryFn: () => get<InboxPage>('/api/notifications?limit=1&unread=true'),
    enabled: () => !!session.token,
    refetchInterval: 60_000,
  });
  return computed(() => q.data.value?.unreadCount ?? 0);
}

/** The roles that look after the whole county (overview, 督办台账). */
export function isCountyDesk(role: string | undefined): boolean {
  return role === 'county_org_admin' || role === 'county_party_secretary' || role === 'inspector';
}
