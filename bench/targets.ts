/**
 * Issue 17's performance targets, each beside its baseline: the bare platform's figure of the same run
 * where one exists (the platform's speed varies over a day here), otherwise the README's figure of the
 * last full run, shown as "previous". Targets are for the full scale (BENCH_SCALE=1).
 */
export interface TargetRow {
  figure: string;
  /** The figure the target is about, in `unit`; null when it was not measured. */
  result: number | null;
  unit: string;
  resultText: string;
  baseline: number | null;
  /** 'same run': measured beside it in this run; 'previous': the README's last full run. */
  baselineOf: 'same run' | 'previous' | null;
  baselineText: string;
  /** result ÷ baseline. */
  ratio: number | null;
  target: string;
  met: boolean | null;
}

/** The README's last full run (2026-12-06 05:20, 2 cores, nothing else running). */
export const PREVIOUS_RUN = {
  at: '2026-12-06 05:20',
  designationRatio: 0.63,
  playbookRatio: 2.44,
  dashboardP95Ms: 42.7,
  rollupP95Ms: 67.9,
  taskListP95Ms: 16.7,
  burstSeconds: 90.3,
  burstWorkers: 2,
  workerPeakMb: 412,
  burstWorkerPeakMb: 354,
  wholeRunMinutes: 11,
} as const;

type Figures = Record<string, Record<string, unknown> | undefined>;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const r = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const div = (a: number | null, b: number | null, digits = 2) => (a === null || b === null || b === 0 ? null : r(a / b, digits));
const show = (v: number | null, unit: string) => (v === null ? '未测 not measured' : `${v} ${unit}`.trim());

/** The target rows of a run's figures; `wholeRunSeconds` from scripts/bench.js's start. */
export function targetRows(f: Figures, wholeRunSeconds: number | null): TargetRow[] {
  const rows: TargetRow[] = [];
  const previous = (v: number, unit: string) => ({ baseline: v, baselineOf: 'previous' as const, baselineText: `previous ${v} ${unit} (${PREVIOUS_RUN.at})` });

  // Designation rate ÷ empty-workflow start rate: ≥ 0.6.
  const designation = num(f.designation?.perSecond);
  const starts = num(f.emptyWorkflowStarts?.perSecond);
  const dRatio = num(f.designation?.ratioToBaseline) ?? div(designation, starts);
  rows.push({
    figure: '认定速率 ÷ 空工作流启动速率 designation rate ÷ empty-workflow start rate',
    result: designation,
    unit: 'cases/s',
    resultText: show(designation, 'cases/s'),
    baseline: starts,
    baselineOf: starts === null ? null : 'same run',
    baselineText: starts === null ? '—' : `empty workflow starts ${starts}/s`,
    ratio: dRatio,
    target: 'ratio ≥ 0.6',
    met: dRatio === null ? null : dRatio >= 0.6,
  });

  // The whole playbook by HTTP ÷ the same count of no-op Updates: ≤ 2.5×.
  const playbook = num(f.playbookByHttp?.seconds);
  const noop = num(f.playbookByHttp?.baselineSeconds);
  // The figure's own ratio (of the unrounded times) where it has one, so the two tables agree.
  const pRatio = num(f.playbookByHttp?.ratioToBaseline) ?? div(playbook, noop);
  rows.push({
    figure: '整顿全流程（HTTP）÷ 同数空 Update whole playbook by HTTP ÷ same count of no-op Updates',
    result: playbook,
    unit: 's',
    resultText: playbook === null ? show(null, '') : `${playbook} s (${String(f.playbookByHttp?.requests)} actions, accepted ${String(f.playbookByHttp?.accepted)}/${String(f.playbookByHttp?.cases)})`,
    baseline: noop,
    baselineOf: noop === null ? null : 'same run',
    baselineText: noop === null ? '—' : `${String(f.playbookByHttp?.baselineUpdates)} no-op Updates ${noop} s`,
    ratio: pRatio,
    target: 'ratio ≤ 2.5',
    met: pRatio === null ? null : pRatio <= 2.5 && f.playbookByHttp?.accepted === f.playbookByHttp?.cases,
  });

  // County dashboard p95: ≤ 100 ms and ≤ 3 × the bare SQL of the same figures.
  const dash = num(f.dashboardLatency?.p95Ms);
  const bare = num(f.dashboardBareSql?.p95Ms);
  const dashRatio = num(f.dashboardLatency?.ratioToBareSql) ?? div(dash, bare);
  rows.push({
    figure: '县级总览 p95 county dashboard p95 under load',
    result: dash,
    unit: 'ms',
    resultText: dash === null ? show(null, '') : `${dash} ms (${String(f.dashboardLatency?.casesInCounty)} cases in the county${num(f.dashboardLatency?.errors) ? `, ${String(f.dashboardLatency?.errors)} errors` : ''})`,
    baseline: bare,
    baselineOf: bare === null ? null : 'same run',
    baselineText: bare === null ? '—' : `bare SQL p95 ${bare} ms`,
    ratio: dashRatio,
    target: '≤ 100 ms and ratio ≤ 3',
    met: dash === null || dashRatio === null ? null : dash <= 100 && dashRatio <= 3 && !num(f.dashboardLatency?.errors),
  });

  // Province roll-up p95 (all cases, 20 counties): ≤ 150 ms.
  const rollup = num(f.rollupLatency?.p95Ms);
  rows.push({
    figure: '省级汇总 p95 province roll-up p95 under load',
    result: rollup,
    unit: 'ms',
    resultText: rollup === null ? show(null, '') : `${rollup} ms (${String(f.rollupLatency?.casesInProvince)} cases, ${String(f.rollupLatency?.counties)} counties${num(f.rollupLatency?.errors) ? `, ${String(f.rollupLatency?.errors)} errors` : ''})`,
    ...previous(PREVIOUS_RUN.rollupP95Ms, 'ms'),
    ratio: div(rollup, PREVIOUS_RUN.rollupP95Ms),
    target: '≤ 150 ms',
    met: rollup === null ? null : rollup <= 150 && !num(f.rollupLatency?.errors),
  });

  // Township task list p95: ≤ 30 ms.
  const tasks = num(f.taskListLatency?.p95Ms);
  rows.push({
    figure: '乡镇待办列表 p95 township task list p95 under load',
    result: tasks,
    unit: 'ms',
    resultText: show(tasks, 'ms'),
    ...previous(PREVIOUS_RUN.taskListP95Ms, 'ms'),
    ratio: div(tasks, PREVIOUS_RUN.taskListP95Ms),
    target: '≤ 30 ms',
    met: tasks === null ? null : tasks <= 30 && !num(f.taskListLatency?.errors),
  });

  // Quarter-start burst: every 督办 delivered within 120 s, with the number of workers said.
  const burst = num(f.quarterStartBurst?.secondsUntilAllDelivered);
  const workers = num(f.quarterStartBurst?.workers);
  const burstRan = f.quarterStartBurst !== undefined && !('error' in f.quarterStartBurst);
  rows.push({
    figure: '季度初集中提醒（督办全部送达） quarter-start burst, every 督办 delivered',
    result: burst,
    unit: 's',
    resultText: !burstRan ? show(null, '') : burst === null ? `not all delivered within 15 min (${String(f.quarterStartBurst?.deliveriesSent)}/${String(f.quarterStartBurst?.noticesDue)})` : `${burst} s, ${String(f.quarterStartBurst?.cases)} cases, ${workers} worker${workers === 1 ? '' : 's'}`,
    baseline: PREVIOUS_RUN.burstSeconds,
    baselineOf: 'previous',
    baselineText: `previous ${PREVIOUS_RUN.burstSeconds} s, ${PREVIOUS_RUN.burstWorkers} ${Number(PREVIOUS_RUN.burstWorkers) === 1 ? 'worker' : 'workers'} (${PREVIOUS_RUN.at})`,
    ratio: div(burst, PREVIOUS_RUN.burstSeconds),
    target: '≤ 120 s',
    met: !burstRan ? null : burst !== null && burst <= 120,
  });

  // Worker peak RSS with 5,000 open cases: ≤ 600 MB — the run's worker, and the burst's worker(s).
  const worker = num(f.peakMemoryMb?.worker);
  rows.push({
    figure: '工作进程内存峰值 worker peak RSS (VmHWM)',
    result: worker,
    unit: 'MB',
    resultText: show(worker, 'MB'),
    ...previous(PREVIOUS_RUN.workerPeakMb, 'MB'),
    ratio: div(worker, PREVIOUS_RUN.workerPeakMb),
    target: '≤ 600 MB',
    met: worker === null ? null : worker <= 600,
  });
  const burstWorker = num(f.peakMemoryMb?.burstWorker);
  rows.push({
    figure: '集中提醒工作进程内存峰值 burst worker peak RSS (VmHWM, largest worker)',
    result: burstWorker,
    unit: 'MB',
    resultText: burstWorker === null ? show(null, '') : `${burstWorker} MB (${String(f.quarterStartBurst?.cases)} open cases, ${workers} worker${workers === 1 ? '' : 's'})`,
    ...previous(PREVIOUS_RUN.burstWorkerPeakMb, 'MB'),
    ratio: div(burstWorker, PREVIOUS_RUN.burstWorkerPeakMb),
    target: '≤ 600 MB',
    met: burstWorker === null ? null : burstWorker <= 600,
  });

  // The whole `npm run bench`: ≤ 30 min.
  const minutes = wholeRunSeconds === null ? null : r(wholeRunSeconds / 60, 1);
  rows.push({
    figure: '整个 npm run bench the whole npm run bench',
    result: minutes,
    unit: 'min',
    resultText: minutes === null ? '未测 not measured (run it with npm run bench)' : `${minutes} min (to the report; stopping the servers follows)`,
    ...previous(PREVIOUS_RUN.wholeRunMinutes, 'min'),
    ratio: div(minutes, PREVIOUS_RUN.wholeRunMinutes),
    target: '≤ 30 min',
    met: minutes === null ? null : minutes <= 30,
  });
  return rows;
}
