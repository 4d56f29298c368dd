/** Runs `fn` over `items` with at most `n` at a time, logging every tenth; answers the wall time in ms. */
export async function pool<T>(items: T[], n: number, fn: (item: T, index: number) => Promise<void>, log: (msg: string) => void): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  let done = 0;
  const tick = Math.max(1, Math.floor(items.length / 10));
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
        if (++done % tick === 0) log(`  … ${done}/${items.length}`);
      }
    }),
  );
  return performance.now() - t0;
}
