import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

/**
 * Baselines for the benchmark: the same Temporal server and client work, without the application.
 * `startEmpty` completes at once (the floor for designation); `emptyCase` takes no-op Updates until
 * told to finish (the floor for a case driven through its playbook).
 */
export const noopUpdate = defineUpdate<number, [unknown]>('noop');
export const finishSignal = defineSignal('finish');

export async function startEmpty(): Promise<void> {
  // Nothing: the cost of a workflow start and its first task.
}

export async function emptyCase(): Promise<number> {
  let updates = 0;
  let finished = false;
  setHandler(noopUpdate, () => ++updates);
  setHandler(finishSignal, () => void (finished = true));
  await condition(() => finished);
  return updates;
}
