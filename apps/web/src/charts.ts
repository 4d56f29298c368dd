import { OUTLOOK_LABELS, YEAR_END_OUTLOOKS, type YearEndOutlook } from '../../../libs/domain/outlook';

/** The dashboard's one bar chart of counts per category (stages of cases or of ratings). */
export function countBarOption(labels: string[], counts: number[], seriesName: string) {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 24, bottom: 40 },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, fontSize: 11 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: seriesName, type: 'bar', barMaxWidth: 36, label: { show: true, position: 'top' }, itemStyle: { color: '#c0392b' }, data: counts }],
  };
}

/** Colours of the year-end outlook, from done to lost. */
export const OUTLOOK_COLORS: Record<YearEndOutlook, string> = {
  converted: '#67c23a',
  would_pass_now: '#95d475',
  on_track: '#409eff',
  at_risk: '#e6a23c',
  will_miss: '#f56c6c',
};

/** The one ring of the year-end outlook (overview and batch page alike): expected by the year end of all. */
export function outlookPieOption(counts: Record<YearEndOutlook, number> | undefined, expected: number, total: number) {
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
    legend: { bottom: 0, itemWidth: 12, itemHeight: 12 },
    title: {
      text: counts ? `${expected}/${total}` : '',
      subtext: '预计年底转化',
      left: 'center',
      top: '30%',
      textStyle: { fontSize: 22, fontWeight: 'bold', color: '#303133' },
      subtextStyle: { fontSize: 12 },
    },
    series: [
      {
        type: 'pie',
        radius: ['42%', '62%'],
        center: ['50%', '40%'],
        label: { show: false },
        data: YEAR_END_OUTLOOKS.map((o) => ({ name: OUTLOOK_LABELS[o], value: counts?.[o] ?? 0, itemStyle: { color: OUTLOOK_COLORS[o] } })),
      },
    ],
  };
}
