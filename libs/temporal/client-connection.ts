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

/** Longest a retry of the SDK's default options waits (5 s, plus 20% jitter), and a margin. */
const LONGEST_RETRY_DELAY_MS = 6_500;

/**
 * A Temporal client connection that closes cleanly.
 *
 * The SDK's gRPC retry interceptor schedules each retry with a timer that `Connection.close()` does
 * not clear; a retry firing after the close throws "Channel has been shut down" inside the timer, an
 * uncaught exception that ends the process (the API on shutdown, a test file after its last test).
 * Here closing first stops new retries, then waits for the timers already set (at most a few seconds,
 * usually none) so their calls end on an open channel, and only then closes it.
 */
export class TemporalClientConnection {
  /** The connection to hand to `new Client(...)`. */
  readonly connection: Connection;
  private stopped = false;
  /** When the last retry already scheduled fires (epoch ms). */
  private lastRetryDue = 0;

  private constructor(options: ConnectionOptions, retry: GrpcRetryOptions) {
    const stoppable: GrpcRetryOptions = {
      retryableDecider: (attempt, status) => !this.stopped && retry.retryableDecider(attempt, status),
      delayFunction: (attempt, status) => {
        const delay = retry.delayFunction(attempt, status);
        this.lastRetryDue = Math.max(this.lastRetryDue, Date.now() + delay);
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
    const wait = Math.min(this.lastRetryDue - Date.now(), LONGEST_RETRY_DELAY_MS);
    // The retried call then finishes, or fails without retrying again (stopped).
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 50));
    await this.connection.close();
  }
}
