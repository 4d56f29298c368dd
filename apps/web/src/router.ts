import { createRouter, createWebHistory } from 'vue-router';
import { session } from './api/client';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    title?: string;
  }
}

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true, title: '登录' } },
    { path: '/', name: 'overview', component: () => import('./views/OverviewView.vue'), meta: { title: '整顿总览' } },
    { path: '/townships/:townshipId', name: 'township', component: () => import('./views/OverviewView.vue'), props: true, meta: { title: '乡镇（街道）' } },
    { path: '/cases/:caseId', name: 'case', component: () => import('./views/CaseView.vue'), props: true, meta: { title: '整顿案件' } },
    { path: '/batches/:year?', name: 'batches', component: () => import('./views/BatchesView.vue'), props: true, meta: { title: '整顿批次' } },
    { path: '/star-ratings/:year?', name: 'star-ratings', component: () => import('./views/StarRatingsView.vue'), props: true, meta: { title: '星级评定' } },
    { path: '/tasks', name: 'tasks', component: () => import('./views/TasksView.vue'), meta: { title: '我的待办' } },
    { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { title: '页面不存在' } },
  ],
});

// Everything but the login page needs a session.
router.beforeEach((to) => {
  if (!to.meta.public && !session.token) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  return true;
});
router.afterEach((to) => {
  document.title = `${to.meta.title ?? ''}${to.meta.title ? ' · ' : ''}软弱涣散基层党组织整顿`;
});
