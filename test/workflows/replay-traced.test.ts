import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Resource } from '@opentelemetry/resources';
import { makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { quietTemporalRuntime } from '../support/harness';

/**
 * Tracing may be turned on (OTEL_EXPORTER_OTLP_ENDPOINT) under running cases: the worker then adds the
 * OpenTelemetry workflow interceptors (apps/worker/src/create-worker.ts). They must add no commands, or
 * every case recorded without them would fail to replay. Every recorded history replays with them.
 */
const dir = path.join(__dirname, '..', 'fixtures', 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.binpb')).sort();

describe('replay of recorded histories with the tracing interceptors on', () => {
  beforeAll(() => quietTemporalRuntime());

  it('replays every recorded history deterministically', async () => {
    expect(files.length).toBeGreaterThan(3);
    const exporter = new InMemorySpanExporter();
    const histories = files.map((file) => ({ workflowId: path.basename(file, '.binpb'), history: temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, file))) }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      {
        workflowsPath: require.resolve('../../workflows'),
        interceptors: { workflowModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')] },
        sinks: { exporter: makeWorkflowExporter(new SimpleSpanProcessor(exporter), new Resource({ 'service.name': 'replay' })) },
      },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
