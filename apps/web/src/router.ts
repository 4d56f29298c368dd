import { createRouter, createWebHistory, type RouteLocationRaw } from 'vue-router';
import { get, session } from './api/client';
import type { SessionUser } from './api/types';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    title?: string;
  }
}

const COUNTY_DESKS: SessionUser['role'][] = ['county_org_admin', 'county_party_secretary', 'inspector'];

/**
 * Where a role lands (issue 13): the county's desks on the overview; a township secretary on the township's
 * open work; a contact leader on 我联系的案件; a team leader on their case. Only the bare "/" lands: a link
 * to the overview with a year or township keeps showing the overview.
 */
async function landingOf(user: SessionUser | null): Promise<RouteLocationRaw | null> {
  if (!user || COUNTY_DESKS.includes(user.role)) return null;
  // Above the county (issue 17): the roll-up of the counties below.
  if (user.role === 'province_org_admin' || user.role === 'city_org_admin') return { name: 'rollup' };
  if (user.role === 'township_party_secretary') return { name: 'tasks' };
  if (user.role === 'county_leader') return { name: 'my-cases' };
  if (user.role === 'team_leader' || user.role === 'team_member') {
    try {
      const { items } = await get<{ items: { id: string; stage: string }[] }>('/api/cases?limit=20');
      const mine = items.find((c) => c.stage !== 'removed' && c.stage !== 'closed') ?? items[0];
      return mine ? { name: 'case', params: { caseId: mine.id } } : { name: 'cases' };
    } catch {
      return { name: 'cases' };
    }
  }
  return null;
}

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true, title: '登录' } },
    {
      path: '/',
      alias: '/overview',
      name: 'overview',
      component: () => import('./views/OverviewView.vue'),
      meta: { title: '整顿总览' },
      beforeEnter: async (to) => {
        if (to.path !== '/' || Object.keys(to.query).length) return true;
        return (await landingOf(session.user)) ?? true;
      },
    },
    { path: '/rollup/:regionId?', name: 'rollup', component: () => import('./views/RollupView.vue'), props: true, meta: { title: '整顿汇总' } },
    { path: '/townships/:townshipId', name: 'township', component: () => import('./views/OverviewView.vue'), props: true, meta: { title: '乡镇（街道）' } },
    { path: '/cases', name: 'cases', component: () => import('./views/CasesView.vue'), meta: { title: '整顿案件' } },
    { path: '/cases/:caseId', name: 'case', component: () => import('./views/CaseView.vue'), props: true, meta: { title: '整顿案件' } },
    { path: '/my-cases', name: 'my-cases', component: () => import('./views/MyCasesView.vue'), meta: { title: '我联系的案件' } },
    { path: '/batches/:year?', name: 'batches', component: () => import('./views/BatchesView.vue'), props: true, meta: { title: '整顿批次' } },
    { path: '/star-ratings/:year?', name: 'star-ratings', component: () => import('./views/StarRatingsView.vue'), props: true, meta: { title: '星级评定' } },
    { path: '/tasks', name: 'tasks', component: () => import('./views/TasksView.vue'), meta: { title: '我的待办' } },
    { path: '/messages', name: 'messages', component: () => import('./views/MessagesView.vue'), meta: { title: '消息' } },
    { path: '/escalations', name: 'escalations', component: () => import('./views/EscalationsView.vue'), meta: { title: '督办台账' } },
    { path: '/township-records', name: 'township-records', component: () => import('./views/TownshipRecordsView.vue'), meta: { title: '乡镇整顿实绩' } },
    { path: '/me', name: 'me', component: () => import('./views/MeView.vue'), meta: { title: '我的' } },
    { path: '/password', name: 'change-password', component: () => import('./views/ChangePasswordView.vue'), meta: { title: '修改密码' } },
    { path: '/admin', name: 'admin', component: () => import('./views/admin/AdminView.vue'), meta: { title: '管理' } },
    { path: '/admin/regions', name: 'admin-regions', component: () => import('./views/admin/RegionsView.vue'), meta: { title: '区划' } },
    { path: '/admin/people', name: 'admin-people', component: () => import('./views/admin/PeopleView.vue'), meta: { title: '人员' } },
    { path: '/admin/organizations', name: 'admin-organizations', component: () => import('./views/admin/OrganizationsView.vue'), meta: { title: '党组织' } },
    { path: '/admin/policy', name: 'admin-policy', component: () => import('./views/admin/PolicyView.vue'), meta: { title: '整顿政策' } },
    { path: '/admin/calendar', name: 'admin-calendar', component: () => import('./views/admin/CalendarView.vue'), meta: { title: '工作日历' } },
    { path: '/admin/channels', name: 'admin-channels', component: () => import('./views/admin/ChannelsView.vue'), meta: { title: '通知渠道' } },
    { path: '/admin/letterhead', name: 'admin-letterhead', component: () => import('./views/admin/LetterheadView.vue'), meta: { title: '文书版头' } },
    { path: '/admin/deliveries', name: 'admin-deliveries', component: () => import('./views/admin/DeliveriesView.vue'), meta: { title: '推送记录' } },
    { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { title: '页面不存在' } },
  ],
});

// Everything but the login page needs a session; a one-time password allows nothing but changing it.
router.beforeEach((to) => {
  if (!to.meta.public && !session.token) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  if (!to.meta.public && session.user?.mustChangePassword && to.name !== 'change-password') {
    return { name: 'change-password', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  }
  return true;
});
router.afterEach((to) => {
  document.title = `${to.meta.title ?? ''}${to.meta.title ? ' · ' : ''}软弱涣散基层党组织整顿`;
});
