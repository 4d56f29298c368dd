import type { TargetRow } from './targets';

/** The benchmark's figures, printed as a table and as JSON, then issue 17's targets with their baselines. */
export interface BenchReport {
  scale: number;
  startedAt: string;
  finishedAt?: string;
  figures: Record<string, Record<string, unknown>>;
  targets?: TargetRow[];
}

/** Exact percentiles (nearest rank) of a list of samples. */
export function percentiles(samples: number[], ps: number[]): Record<number, number> {
  const sorted = [...samples].sort((a, b) => a - b);
  const out: Record<number, number> = {};
  for (const p of ps) out[p] = sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : NaN;
  return out;
}

const LABELS: Record<string, string> = {
  machine: '本机 machine (CPU, cores, JSON round-trip probe)',
  worker: '工作进程设置 worker settings',
  dataset: '数据集 data set',
  emptyWorkflowStarts: '空工作流启动（基线） empty workflow starts (baseline)',
  designation: '认定（启动并投影） designation (started + projected)',
  spread: '阶段分布（Temporal 客户端） stage spread (client updates)',
  stages: '案件阶段 cases by stage',
  playbookByHttp: '整顿全流程（HTTP） whole playbook by HTTP',
  temporalPersistenceRequests: 'Temporal 服务端数据库请求（每项） Temporal server persistence requests (each)',
  taskListLatency: '乡镇待办列表延迟 township task list latency',
  dashboardLatency: '县级总览延迟 county dashboard latency',
  dashboardBareSql: '县级总览的 SQL（基线） county dashboard bare SQL (baseline)',
  rollupLatency: '省级汇总延迟 province roll-up latency',
  quarterStartBurst: '季度初集中提醒 quarter-start burst',
  peakMemoryMb: '内存峰值（MB） peak memory (MB)',
  wholeRun: '整个基准测试 the whole run',
};

export function printReport(report: BenchReport): void {
  const rows: [string, string, string][] = [];
  for (const [group, figures] of Object.entries(report.figures)) {
    for (const [key, value] of Object.entries(figures)) rows.push([LABELS[group] ?? group, key, String(value)]);
  }
  const w0 = Math.max(...rows.map((r) => width(r[0])));
  const w1 = Math.max(...rows.map((r) => width(r[1])));
  const lines = [`benchmark (scale ${report.scale}) ${report.startedAt} → ${report.finishedAt ?? ''}`];
  let previous = '';
  for (const [g, k, v] of rows) {
    const group = g === previous ? '' : g;
    previous = g;
    lines.push(`${pad(group, w0)} | ${pad(k, w1)} | ${v}`);
  }
  if (report.targets) lines.push('', ...targetLines(report.targets, report.scale));
  process.stdout.write(`${lines.join('\n')}\n\nJSON:\n${JSON.stringify(report)}\n`);
}

/** The targets table: figure, result, baseline, ratio, target, met. */
export function targetLines(targets: TargetRow[], scale: number): string[] {
  const header = ['目标 target figure', 'result', 'baseline', 'ratio', 'target', 'met'];
  const rows = targets.map((t) => [t.figure, t.resultText, t.baselineText, t.ratio === null ? '—' : String(t.ratio), t.target, t.met === null ? '–' : t.met ? '✓' : '✗']);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i])).join(' | ').trimEnd();
  const met = targets.filter((t) => t.met === true).length;
  return [
    `目标 issue 17 targets (baseline: of this run, or "previous" = the README's last full run): ${met} of ${targets.length} met`,
    ...(scale === 1 ? [] : [`(scale ${scale}: the targets are for scale 1; ✓/✗ here say nothing about them)`]),
    line(header),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...rows.map(line),
  ];
}

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let n = 0;
  for (const ch of s) n += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return n;
}

function pad(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - width(s)));
}
