import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

/**
 * CPU time (user + system) of the processes the benchmark runs, from /proc: where an operation's cost goes, which
 * its rate alone does not say (the rate follows the machine, whose speed varies over a day here; the CPU an
 * operation costs each process varies much less). The driver's own process includes the baseline's worker.
 */
export type ProcessCpuMs = Record<'api' | 'worker' | 'temporal' | 'postgres' | 'driver', number>;

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime, stime, cutime, cstime of a process in ms; undefined once it is gone. */
function cpuOf(pid: number): { own: number; reapedChildren: number; ppid: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command's closing parenthesis, from the 3rd (state): ppid is the 4th, utime…cstime the 14th…17th.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (i: number) => (Number(f[i]) * 1000) / CLOCK_TICKS_PER_SECOND;
    return { own: ms(11) + ms(12), reapedChildren: ms(13) + ms(14), ppid: Number(f[1]) };
  } catch {
    return undefined;
  }
}

/** PostgreSQL's server: the postmaster, its live children (backends, WAL writer, checkpointer…) and those it reaped. */
function postgresCpuMs(postmasterPid: number): number {
  const master = cpuOf(postmasterPid);
  if (!master) return 0;
  let total = master.own + master.reapedChildren;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = cpuOf(Number(entry));
    if (child?.ppid === postmasterPid) total += child.own;
  }
  return total;
}

/** The processes' CPU now (ms); a process the environment does not name counts 0. */
export function processCpuNow(): ProcessCpuMs {
  const pid = (name: string) => Number(process.env[name]) || 0;
  const own = (p: number) => (p ? (cpuOf(p)?.own ?? 0) : 0);
  return {
    api: own(pid('API_PID')),
    worker: own(pid('WORKER_PID')),
    temporal: own(pid('TEMPORAL_PID')),
    postgres: pid('POSTGRES_PID') ? postgresCpuMs(pid('POSTGRES_PID')) : 0,
    driver: own(process.pid),
  };
}

/** CPU per operation between two readings, by process and in all (ms, to a hundredth). */
export function cpuPerOperation(before: ProcessCpuMs, after: ProcessCpuMs, operations: number): ProcessCpuMs & { total: number } {
  const per = (k: keyof ProcessCpuMs) => Math.round(((after[k] - before[k]) / operations) * 100) / 100;
  const each = { api: per('api'), worker: per('worker'), temporal: per('temporal'), postgres: per('postgres'), driver: per('driver') };
  return { ...each, total: Math.round(Object.values(each).reduce((a, b) => a + b, 0) * 100) / 100 };
}
