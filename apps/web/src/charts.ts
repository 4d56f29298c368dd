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
