import { VantResolver } from '@vant/auto-import-resolver';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import ElementPlus from 'unplugin-element-plus/vite';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import { defineConfig } from 'vite';

/**
 * apps/web — the county dashboard (Vue 3 + Element Plus on desktop, Vant on the phone, ECharts), built into
 * dist/web and served by the API.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.API_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? 3000}`;

export default defineConfig({
  root: here,
  base: '/',
  plugins: [
    vue(),
    // Components and their CSS imported where a template uses them, not the whole libraries up front: the
    // first load stays small on a phone's connection.
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' }), VantResolver()], dts: false }),
    // Styles of what scripts import by hand (ElMessage, ElMessageBox).
    ElementPlus({ useSource: false }),
  ],
  resolve: {
    // The API's response types (libs/http): one contract for API and web.
    alias: { '@contract': fileURLToPath(new URL('../../libs/http', import.meta.url)) },
  },
  // `npm run build:web` writes here; apps/api/src/web serves it at /.
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  // `npx vite --config apps/web/vite.config.ts` during development: the API of `npm start` behind /api.
  server: { proxy: { '/api': { target: apiTarget, changeOrigin: false } } },
});
