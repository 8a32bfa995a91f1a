/**
 * Early warning for an analysis that will not fit its heap cap. The heap an analysis keeps grows
 * about linearly with the functions analysed (per-role caches, the graph), so the heap left after
 * each full collection, projected to the last function, tells after a few percent of the work
 * whether the cap will do, instead of after many minutes of ever more frequent collections.
 */

/** Retained heap (bytes) measured after a full collection, at this share of the functions. */
export interface HeapSample {
  fraction: number;
  retained: number;
}

/** Share of the functions to see before projecting: the first ones fill shared caches faster. */
export const MIN_FRACTION = 0.05;

/**
 * The retained heap expected when every function is analysed (bytes), from the latest sample and
 * the growth since the one halfway there; null until MIN_FRACTION is analysed.
 */
export function projectRetainedHeap(samples: readonly HeapSample[]): number | null {
  if (samples.length < 2) return null;
  const last = samples[samples.length - 1];
  const first = samples.find((s) => s.fraction >= last.fraction / 2) ?? samples[0];
  if (last.fraction < MIN_FRACTION || last.fraction - first.fraction < MIN_FRACTION / 2) return null;
  const perShare = Math.max(0, (last.retained - first.retained) / (last.fraction - first.fraction));
  return last.retained + perShare * (1 - last.fraction);
}

/** The message a scan fails with when the projection passes the cap, or null while it fits. */
export function heapCapExceeded(samples: readonly HeapSample[], capBytes: number, functions: number): string | null {
  const projected = projectRetainedHeap(samples);
  if (projected === null || projected <= capBytes) return null;
  const mib = (bytes: number) => Math.ceil(bytes / 2 ** 20);
  const last = samples[samples.length - 1];
  // A quarter above the projection: V8 needs room to collect in, or it spends its time collecting.
  const advice = Math.ceil((mib(projected) * 1.25) / 256) * 256;
  return (
    `The analysis would run out of memory: after ${Math.round(last.fraction * functions)} of ${functions} functions it keeps ${mib(last.retained)} MiB ` +
    `and needs about ${mib(projected)} MiB to finish (heap cap ${mib(capBytes)} MiB); nothing of this scan was stored. ` +
    `Set SALTZER_HEAP_MB=${advice} (or more) and scan again.`
  );
}
