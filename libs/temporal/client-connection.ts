import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ClientInterceptors, type ConnectionOptions, type GrpcRetryOptions } from '@temporalio/client';
// The client part only: the package's index also loads its worker plugin, which the API does not need.
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';

/**
 * Interceptors for every Temporal client of the apps (`new Client({ interceptors })`): a start, signal,
 * query or Update becomes a span whose context travels in the call's headers to the workflow and on
 * to its activities, so a trace follows an HTTP request into the worker. With tracing off
 * (libs/observability/tracing.ts) the spans are no-ops and nothing is added to the headers.
 */
export function clientInterceptors(): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };
}

/**
 * A Temporal client connection that closes cleanly.
 *
 * The SDK's gRPC retry interceptor schedules each retry with a timer that `Connection.close()` does
 * not clear; a retry firing after the close throws "Channel has been shut down" inside the timer, an
 * uncaught exception that ends the process (the API on shutdown, a test file after its last test).
 * Here closing first stops new retries, then waits for the timers already set (at most a few seconds,
 * usually none) so their calls start on an open channel, and only then closes it. Each is awaited by a timer
 * of its own, not by the clock: a timer counts from the event loop's time, which lags Date.now() in a busy
 * tick, so a retry due "by now" may still be waiting to fire.
 */
export class TemporalClientConnection {
  /** The connection to hand to `new Client(...)`. */
  readonly connection: Connection;
  private stopped = false;
  /** The SDK's retry timers already set: each settles once its retry has fired. */
  private readonly retriesDue = new Set<Promise<void>>();

  private constructor(options: ConnectionOptions, retry: GrpcRetryOptions) {
    const stoppable: GrpcRetryOptions = {
      retryableDecider: (attempt, status) => !this.stopped && retry.retryableDecider(attempt, status),
      delayFunction: (attempt, status) => {
        const delay = retry.delayFunction(attempt, status);
        // Set just before the SDK sets its own with this delay, so in the same timer list, which fires in order:
        // this one first, then the retry, and setImmediate after both.
        const due = new Promise<void>((resolve) => setTimeout(() => setImmediate(resolve), delay));
        this.retriesDue.add(due);
        void due.then(() => this.retriesDue.delete(due));
        return delay;
      },
    };
    this.connection = Connection.lazy({ ...options, interceptors: [makeGrpcRetryInterceptor(stoppable), ...(options.interceptors ?? [])] });
  }

  /** Connects on first use, so a caller can start while Temporal is still down. */
  static lazy(options: ConnectionOptions, retry: GrpcRetryOptions = defaultGrpcRetryOptions()): TemporalClientConnection {
    return new TemporalClientConnection(options, retry);
  }

  /** Connects now, failing if the server does not answer. */
  static async connect(options: ConnectionOptions, retry: GrpcRetryOptions = defaultGrpcRetryOptions()): Promise<TemporalClientConnection> {
    const self = new TemporalClientConnection(options, retry);
    await self.connection.ensureConnected();
    return self;
  }

  async close(): Promise<void> {
    this.stopped = true;
    // The retried calls then finish, or fail without retrying again (stopped).
    await Promise.all(this.retriesDue);
    await this.connection.close();
  }
}
