import { TemporalClientConnection } from '../../libs/temporal';

describe('Temporal client connection', () => {
  it('closes while a call waits to retry: the call fails with Temporal unreachable, nothing throws afterwards', async () => {
    // Nothing listens on port 1: every attempt fails at once with UNAVAILABLE, which the client retries.
    const client = TemporalClientConnection.lazy({ address: '127.0.0.1:1' });
    const call = client.connection.workflowService.getSystemInfo({}).then(
      () => 'answered',
      (err: Error & { code?: number }) => err,
    );
    // Let a few attempts fail, so a retry is scheduled when the connection closes.
    await new Promise((r) => setTimeout(r, 400));
    // A busy process (a full test run, a loaded API): the event loop's clock, which timers count from, lags
    // Date.now() by the time this tick has taken.
    const busyUntil = Date.now() + 300;
    while (Date.now() < busyUntil);
    await client.close();
    const outcome = await call;
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as { code?: number }).code).toBe(14); // gRPC UNAVAILABLE
    // The SDK's own retry timer would fire in this window and throw "Channel has been shut down",
    // an uncaught exception that fails this test (and ends a server process).
    await new Promise((r) => setTimeout(r, 6_000));
  }, 20_000);
});
