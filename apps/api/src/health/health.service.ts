import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../../libs/config';
import { APP_CONFIG } from '../config/config.module';
import { TemporalClientService } from '../temporal/temporal.module';

export interface ComponentHealth {
  status: 'up' | 'down';
  latencyMs: number;
  detail?: string;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  checkedAt: string;
  postgres: ComponentHealth;
  temporal: ComponentHealth;
}

/** Each check answers within this; Temporal's own gRPC deadline is shorter, so its call (and its
 * retries) end before the check gives up, and nothing is left running against a closed channel. */
const CHECK_TIMEOUT_MS = 3500;
const TEMPORAL_DEADLINE_MS = 2500;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref()),
  ]);
}

/** Checks PostgreSQL and Temporal separately, so an operator sees which one is down. */
@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalClientService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(): Promise<HealthReport> {
    const [postgres, temporal] = await Promise.all([this.checkPostgres(), this.checkTemporal()]);
    return {
      status: postgres.status === 'up' && temporal.status === 'up' ? 'ok' : 'degraded',
      checkedAt: new Date().toISOString(),
      postgres,
      temporal,
    };
  }

  private async timed(fn: () => Promise<string | undefined>, what: string): Promise<ComponentHealth> {
    const started = Date.now();
    try {
      const detail = await withTimeout(fn(), CHECK_TIMEOUT_MS, what);
      return { status: 'up', latencyMs: Date.now() - started, ...(detail ? { detail } : {}) };
    } catch (err) {
      return { status: 'down', latencyMs: Date.now() - started, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private checkPostgres(): Promise<ComponentHealth> {
    return this.timed(async () => {
      const rows: { version: string }[] = await this.dataSource.query('SELECT current_setting($1) AS version', ['server_version']);
      return `PostgreSQL ${rows[0]?.version ?? ''}`.trim();
    }, 'PostgreSQL');
  }

  private checkTemporal(): Promise<ComponentHealth> {
    const { client } = this.temporal;
    const namespace = this.config.temporal.namespace;
    return this.timed(async () => {
      await client.connection.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, () =>
        client.workflowService.describeNamespace({ namespace }),
      );
      return `namespace ${namespace} at ${this.config.temporal.address}`;
    }, 'Temporal');
  }
}
