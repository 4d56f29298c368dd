import { useQuery } from '@tanstack/vue-query';
import { computed } from 'vue';
import { get, session } from './api/client';

import type { RegionTreeNode } from './api/admin';
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
    enabled: () => !!session.token && !session.user?.mustChangePassword,
    refetchInterval: 60_000,
  });
  return computed(() => q.data.value?.unreadCount ?? 0);
}

/** The roles that look after the whole county (overview, 督办台账). */
export function isCountyDesk(role: string | undefined): boolean {
  return role === 'county_org_admin' || role === 'county_party_secretary' || role === 'inspector';
}

/** Who manages the county's setup (区划、党组织、整顿政策、工作日历) and who manages people and channels. */
export function isCountyAdmin(role: string | undefined): boolean {
  return role === 'county_org_admin';
}
export function managesPeople(role: string | undefined): boolean {
  return role === 'county_org_admin' || role === 'township_party_secretary' || isUpperAdmin(role);
}
/** A province's or city's organization department (issue 17): its regions, its department's accounts, its policy template. */
export function isUpperAdmin(role: string | undefined): boolean {
  return role === 'province_org_admin' || role === 'city_org_admin';
}

/** The region tree of my place (GET /api/regions), flattened for pickers: townships and villages with their township's name. */
export function useRegionTree() {
  const q = useQuery({
    queryKey: ['regions'],
    queryFn: () => get<{ root: RegionTreeNode }>('/api/regions'),
    enabled: () => !!session.token,
    staleTime: 60_000,
  });
  const flat = computed(() => {
    const out: (RegionTreeNode & { path: string })[] = [];
    const walk = (n: RegionTreeNode, above: string) => {
      const path = above ? `${above} / ${n.name}` : n.name;
      out.push({ ...n, path });
      for (const c of n.children) walk(c, n.level === 'county' ? '' : path);
    };
    if (q.data.value) walk(q.data.value.root, '');
    return out;
  });
  const byId = computed(() => new Map(flat.value.map((r) => [r.id, r])));
  return { query: q, flat, byId };
}
