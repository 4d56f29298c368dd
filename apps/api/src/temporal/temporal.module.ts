import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
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

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const connection = Connection.lazy({ address: config.temporal.address });
    this.client = new Client({ connection, namespace: config.temporal.namespace });
    this.taskQueue = config.temporal.taskQueue;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}

@Global()
@Module({ providers: [TemporalClientService], exports: [TemporalClientService] })
export class TemporalModule {}
