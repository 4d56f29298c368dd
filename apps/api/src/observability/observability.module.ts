import { DynamicModule, Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { trace, type ProxyTracerProvider } from '@opentelemetry/api';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../../../../libs/config';
import { createLogger, loggerSettings } from '../../../../libs/observability';
import { ApiMetrics } from './api-metrics';

/** The API's pino logger (JSON lines; see libs/observability/logger.ts). */
export const API_LOGGER = Symbol('API_LOGGER');

/** Spans still buffered leave before the process ends (Nest closes the app on SIGTERM/SIGINT). */
@Injectable()
class FlushTraces implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate?.() as { forceFlush?: () => Promise<void> } | undefined;
    await provider?.forceFlush?.();
  }
}

/**
 * Logs and metrics of the API. Nest's own logger writes through pino (nestjs-pino), and a log line
 * written while a request is handled carries its request id: the access-log middleware
 * (observe-requests.ts, first in configureApp) is the pino-http instance nestjs-pino reuses.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(config: AppConfig): DynamicModule {
    const logger = createLogger(loggerSettings('api', config));
    return {
      module: ObservabilityModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true })],
      providers: [{ provide: API_LOGGER, useValue: logger }, ApiMetrics, FlushTraces],
      exports: [API_LOGGER, ApiMetrics],
    };
  }
}
