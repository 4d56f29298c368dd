import { defineAsyncComponent, h } from 'vue';

/**
 * The chart, loaded only when a page shows one: ECharts is the biggest library of the app, and a page's
 * lists and figures should not wait for it. A grey block holds the chart's place meanwhile.
 */
export default defineAsyncComponent({
  loader: () => import('./EChart.vue'),
  loadingComponent: { props: ['height'], setup: (props: { height?: string }) => () => h('div', { class: 'chart-skeleton', style: { height: props.height ?? '260px' } }) },
  delay: 0,
});
