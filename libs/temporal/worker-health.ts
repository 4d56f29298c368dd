import type { Connection } from '@temporalio/client';

/**
 * Whether a worker on this host polls its task queue, as the Temporal server sees it: the server lists
 * each queue's recent pollers with their identity (the SDK's default `<pid>@<hostname>`) and the time of
 * their last poll. A worker whose process is up but whose polling has stopped (lost connection, stuck
 * event loop, shut down) drops out of the list within a poll's length, so a container's HEALTHCHECK
 * built on this turns unhealthy while a process check would still pass.
 */

/** A long poll lasts about a minute; two missed polls mean the worker no longer polls. */
export const POLL_STALE_AFTER_MS = 150_000;

export interface WorkerPollStatus {
  healthy: boolean;
  /** Per queue type (workflow, activity): the matching poller's last poll, or why none matched. */
  details: string[];
}

export async function checkWorkerPolls(opts: {
  connection: Pick<Connection, 'workflowService'>;
  namespace: string;
  taskQueue: string;
  /** The host whose worker must poll (os.hostname() in the container). */
  host: string;
  now?: Date;
  staleAfterMs?: number;
}): Promise<WorkerPollStatus> {
  const now = (opts.now ?? new Date()).getTime();
  const staleAfter = opts.staleAfterMs ?? POLL_STALE_AFTER_MS;
  // TaskQueueType of the Temporal API: 1 workflow, 2 activity (the worker polls both).
  const types: [string, 1 | 2][] = [
    ['workflow', 1],
    ['activity', 2],
  ];
  const details: string[] = [];
  let healthy = true;
  for (const [name, taskQueueType] of types) {
    const res = await opts.connection.workflowService.describeTaskQueue({ namespace: opts.namespace, taskQueue: { name: opts.taskQueue }, taskQueueType });
    const mine = (res.pollers ?? []).filter((p) => (p.identity ?? '').endsWith(`@${opts.host}`));
    const last = Math.max(0, ...mine.map((p) => (p.lastAccessTime ? Number(p.lastAccessTime.seconds ?? 0) * 1000 + Math.floor((p.lastAccessTime.nanos ?? 0) / 1e6) : 0)));
    if (!mine.length) {
      healthy = false;
      details.push(`${name} task queue "${opts.taskQueue}": no poller from host ${opts.host}`);
    } else if (now - last > staleAfter) {
      healthy = false;
      details.push(`${name} task queue "${opts.taskQueue}": last poll from ${opts.host} ${Math.round((now - last) / 1000)} s ago`);
    } else {
      details.push(`${name} task queue "${opts.taskQueue}": polled from ${opts.host} ${Math.max(0, Math.round((now - last) / 1000))} s ago`);
    }
  }
  return { healthy, details };
}
