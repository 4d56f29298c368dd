import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** apps/web — the county dashboard (Vue 3 + Element Plus + ECharts), built into dist/web and served by the API. */
const here = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.API_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? 3000}`;

export default defineConfig({
  root: here,
  base: '/',
  plugins: [vue()],
  // `npm run build:web` writes here; apps/api/src/web serves it at /.
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus';
          if (id.includes('node_modules/')) return 'vendor';
          return undefined;
        },
      },
    },
  },
  // `npx vite --config apps/web/vite.config.ts` during development: the API of `npm start` behind /api.
  server: { proxy: { '/api': { target: apiTarget, changeOrigin: false } } },
});
