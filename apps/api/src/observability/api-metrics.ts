import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/**
 * The API's Prometheus metrics (served on METRICS_PORT by main.ts, never on the public port): request
 * durations by route and status, and the county programme's state, counted by SQL on each scrape
 * (a few grouped counts over indexed columns; nothing is kept between scrapes).
 */
@Injectable()
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status_code'>;

  constructor(dataSource: DataSource) {
    this.requests = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from a request to its answer, by route (the path pattern, not the URL) and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    const query = <T>(sql: string) => dataSource.query(sql) as Promise<T[]>;

    new Gauge({
      name: 'rectification_cases',
      help: 'Cases by county and stage (软弱涣散整顿案件)',
      labelNames: ['county', 'county_id', 'stage'],
      registers: [this.registry],
      async collect() {
        const rows = await query<{ county_id: string; county: string | null; stage: string; n: number }>(
          `SELECT c.county_id, r.name AS county, c.stage, count(*)::int AS n
             FROM rectification_case c LEFT JOIN region r ON r.id = c.county_id
            GROUP BY c.county_id, r.name, c.stage`,
        );
        this.reset();
        for (const r of rows) this.set({ county: r.county ?? r.county_id, county_id: r.county_id, stage: r.stage }, r.n);
      },
    });

    new Gauge({
      name: 'rectification_overdue_deadlines',
      help: 'Deadlines past due: open cases whose county secretary (secretary) or year-end (year_end) deadline has passed, and open tasks due before today in Asia/Shanghai (task)',
      labelNames: ['county', 'county_id', 'deadline'],
      registers: [this.registry],
      async collect() {
        const rows = await query<{ county_id: string; county: string | null; deadline: string; n: number }>(
          `SELECT o.county_id, r.name AS county, o.deadline, o.n FROM (
             SELECT county_id, 'secretary' AS deadline, count(*) FILTER (WHERE secretary_overdue)::int AS n FROM rectification_case WHERE closed_at IS NULL GROUP BY county_id
             UNION ALL
             SELECT county_id, 'year_end', count(*) FILTER (WHERE year_end_overdue)::int FROM rectification_case WHERE closed_at IS NULL GROUP BY county_id
             UNION ALL
             SELECT county_id, 'task', count(*)::int FROM task
              WHERE status = 'open' AND due_on < (now() AT TIME ZONE 'Asia/Shanghai')::date GROUP BY county_id
           ) o LEFT JOIN region r ON r.id = o.county_id`,
        );
        this.reset();
        for (const r of rows) this.set({ county: r.county ?? r.county_id, county_id: r.county_id, deadline: r.deadline }, r.n);
      },
    });

    new Gauge({
      name: 'rectification_open_escalations',
      help: 'Escalations not yet resolved, by county and rung (督办 supervision, 通报 public_notice, 约谈 interview)',
      labelNames: ['county', 'county_id', 'rung'],
      registers: [this.registry],
      async collect() {
        const rows = await query<{ county_id: string; county: string | null; rung: string; n: number }>(
          `SELECT e.county_id, r.name AS county, e.rung, count(*)::int AS n
             FROM escalation e LEFT JOIN region r ON r.id = e.county_id
            WHERE e.resolved_at IS NULL
            GROUP BY e.county_id, r.name, e.rung`,
        );
        this.reset();
        for (const r of rows) this.set({ county: r.county ?? r.county_id, county_id: r.county_id, rung: r.rung }, r.n);
      },
    });

    new Gauge({
      name: 'rectification_deliveries',
      help: 'Notices to outbound channels that did not arrive: failed (every retry failed) or unknown (interrupted mid-send, may or may not have arrived)',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const rows = await query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM delivery WHERE status IN ('failed', 'unknown') GROUP BY status`);
        this.reset();
        // Both series always exist, so an alert on "failed > 0" has a series to compare.
        for (const status of ['failed', 'unknown']) this.set({ status }, rows.find((r) => r.status === status)?.n ?? 0);
      },
    });
  }

  /**
   * Node's process metrics (memory, CPU, event-loop lag, GC) too; called by main.ts only, as their
   * observers live as long as the process (a test's many apps would pile them up).
   */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Records one answered request. */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.requests.observe({ method, route, status_code: String(statusCode) }, seconds);
  }
}
