import { VueQueryPlugin, QueryClient } from '@tanstack/vue-query';
import { createApp } from 'vue';
import App from './App.vue';
import { onPasswordChangeRequired, onUnauthorized } from './api/client';
import { router } from './router';
import './styles.css';

// A 401 (token expired or revoked) ends the session: back to the login page, then back here.
onUnauthorized(() => {
  const current = router.currentRoute.value;
  queryClient.clear();
  if (current.name !== 'login') void router.replace({ name: 'login', query: { redirect: current.fullPath, expired: '1' } });
});

// A one-time password is good only for changing it (403 PASSWORD_CHANGE_REQUIRED): to 修改密码.
onPasswordChangeRequired(() => {
  const current = router.currentRoute.value;
  if (current.name !== 'change-password') void router.replace({ name: 'change-password', query: { redirect: current.fullPath } });
});

/**
 * One cache of the API's answers: a page shows what it has at once and refetches in the background when
 * it is opened again (30 s counts as fresh); an action invalidates what it changed.
 */
export const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 30_000, retry: (n, err) => n < 1 && !(err instanceof Error && 'status' in err && Number(err.status) < 500 && Number(err.status) > 0), refetchOnWindowFocus: true } },
});

// Element Plus and Vant come in per component (vite.config.ts); the app wraps itself in Element Plus's Chinese locale.
createApp(App).use(router).use(VueQueryPlugin, { queryClient }).mount('#app');
