/**
 * A workflow that never gives its activation back — the runaway loop a bug could put in workflow code.
 * Only for test/integration/workflow-thread.test.ts, which checks that the worker stops it.
 */
export async function loopForever(): Promise<number> {
  let n = 0;
  while (n >= 0) n = (n + 1) % 1000;
  return n;
}
