import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { clientInterceptors, TemporalClientConnection } from '../../../../libs/temporal';
import type { AppConfig } from '../../../../libs/config';
import { APP_CONFIG } from '../config/config.module';

/**
 * The API's Temporal client. The connection is lazy, so the API starts (and reports Temporal as down
 * on /api/health) even while the Temporal server is not reachable yet.
 */
@Injectable()
export class TemporalClientService implements OnApplicationShutdown {
  readonly client: Client;
  readonly taskQueue: string;
  private readonly connection: TemporalClientConnection;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.connection = TemporalClientConnection.lazy({ address: config.temporal.address });
    this.client = new Client({ connection: this.connection.connection, namespace: config.temporal.namespace, interceptors: clientInterceptors() });
    this.taskQueue = config.temporal.taskQueue;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

@Global()
@Module({ providers: [TemporalClientService], exports: [TemporalClientService] })
export class TemporalModule {}
