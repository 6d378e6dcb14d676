/** Work on many items a few at a time: a queue drained by `width` workers. */

/** `work` on each item, at most `width` at once, the results in the items' order. */
export async function inTurns<T, R>(items: readonly T[], work: (item: T) => Promise<R>, width: number): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}
