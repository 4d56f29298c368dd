import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/**
 * The Temporal server's persistence requests so far, by operation (its `persistence_requests` counter, all
 * services together), from the bench's dev server (`--metrics-port`, TEMPORAL_METRICS_URL set by
 * scripts/bench.js). Each is a statement on the server's database: what a designation or an action costs the
 * server beyond an empty workflow shows here (a search-attribute upsert, for one, reads the namespace and the
 * cluster's metadata). Null when the URL is not set or the server does not answer.
 */
export async function persistenceRequests(url = process.env.TEMPORAL_METRICS_URL): Promise<Map<string, number> | null> {
  if (!url) return null;
  try {
    const res = await fetch(url);
    if (!res.ok) return null;
    const family = parsePrometheusTextFormat(await res.text()).find((m) => m.name === 'persistence_requests');
    const byOperation = new Map<string, number>();
    for (const m of family?.metrics ?? []) {
      const operation = m.labels?.operation ?? '?';
      byOperation.set(operation, (byOperation.get(operation) ?? 0) + Number(m.value ?? 0));
    }
    return byOperation;
  } catch {
    return null;
  }
}

/**
 * The requests made between two snapshots, per unit of work (a designation, an action), in all and by
 * operation (the five largest); null when either snapshot is missing.
 */
export function requestsPer(before: Map<string, number> | null, after: Map<string, number> | null, units: number): { total: number; largest: string } | null {
  if (!before || !after || units <= 0) return null;
  const per = [...after].map(([op, n]) => [op, (n - (before.get(op) ?? 0)) / units] as const).filter(([, n]) => n > 0);
  per.sort((a, b) => b[1] - a[1]);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { total: round(per.reduce((a, [, n]) => a + n, 0)), largest: per.slice(0, 5).map(([op, n]) => `${op} ${round(n)}`).join(', ') };
}
