import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

/**
 * What the machine is, for comparing runs: the figures' ratios are each against a baseline of the same run,
 * yet a slower host moves them too (its Temporal server, worker and API slow down unevenly), so a run says on
 * what it ran. The probe is a fixed piece of the work an action does — a case-sized JSON with Chinese text,
 * written and read back — timed in the driver before the load starts: the median of 9 rounds.
 */
export function machineProbe(): { cpu: string; cores: number; jsonRoundTripMs: number } {
  const record = (i: number) => ({
    key: `case-2026-${i}:measure:${i}`,
    title: '整改措施：完善村党支部组织生活制度，落实“三会一课”',
    reason: `整改措施将于 2026-12-31 到期（还有${i % 30}天）`,
    recipients: [{ id: `u${i}`, name: '张三', role: 'township_party_secretary' }],
    atMs: 1_790_000_000_000 + i,
  });
  const value = { caseId: 'probe', organizationName: '云桥镇望江村党支部', records: Array.from({ length: 60 }, (_, i) => record(i)) };
  const rounds: number[] = [];
  for (let r = 0; r < 9; r++) {
    const t = performance.now();
    for (let i = 0; i < 500; i++) JSON.parse(JSON.stringify(value));
    rounds.push(performance.now() - t);
  }
  rounds.sort((a, b) => a - b);
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, jsonRoundTripMs: Math.round(rounds[4] * 10) / 10 };
}
