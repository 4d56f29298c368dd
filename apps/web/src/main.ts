import ElementPlus from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import 'element-plus/dist/index.css';
import { createApp } from 'vue';
import App from './App.vue';
import { onUnauthorized } from './api/client';
import { router } from './router';
import './styles.css';

// A 401 (token expired or revoked) ends the session: back to the login page, then back here.
onUnauthorized(() => {
  const current = router.currentRoute.value;
  if (current.name !== 'login') void router.replace({ name: 'login', query: { redirect: current.fullPath, expired: '1' } });
});

createApp(App).use(router).use(ElementPlus, { locale: zhCn }).mount('#app');
