/**
 * Memory probe for issue 14: reads a snapshot directory, runs the scan's analysis in process with a
 * sink that drops its rows, and prints the retained heap after reading and at the analysis' peak
 * (forced GC). `--heap-snapshot FILE` writes a V8 heap snapshot when this share of the functions is
 * analysed (`--at`, default 0.9: the graph and every per-role cache are still alive).
 * Run: node --expose-gc --import tsx scripts/heap-growth.ts <snapshot-dir> [--heap-snapshot FILE] [--at 0.9]
 */
import v8 from "node:v8";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { analyseToRows } from "@/lib/jobs/analyse-to-rows";

const dir = process.argv[2];
const snapAt = process.argv.indexOf("--heap-snapshot");
const snapFile = snapAt > 0 ? process.argv[snapAt + 1] : null;
const atAt = process.argv.indexOf("--at");
const snapFraction = atAt > 0 ? Number(process.argv[atAt + 1]) : 0.9;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const mib = (n: number) => Math.round(n / 2 ** 20);
const retained = () => {
  gc();
  return mib(process.memoryUsage().heapUsed);
};

const base = retained();
const snapshot = await readSnapshotDir(dir);
const functions = snapshot.accounts.reduce((n, a) => n + a.functions.length, 0);
const afterRead = retained();
let seen = 0;
let graphBuilt = 0;
let peak = 0;
let edgeRows = 0;
const sample = () => {
  peak = Math.max(peak, retained());
};
await analyseToRows(1, snapshot, {
  onProgress: (fraction) => {
    if (fraction > 0 && !graphBuilt) graphBuilt = retained();
  },
}, {
  rows: (rows) => {
    const before = seen;
    seen += rows.functions.length;
    if (Math.floor(seen / Math.ceil(functions / 4)) > Math.floor(before / Math.ceil(functions / 4))) sample();
    if (snapFile && before < snapFraction * functions && seen >= snapFraction * functions) {
      gc();
      v8.writeHeapSnapshot(snapFile);
    }
    if (seen === functions) sample();
  },
  edges: (batches) => {
    if (edgeRows === 0) sample();
    edgeRows += batches.reduce((n, b) => n + b.count, 0);
  },
});
const end = retained();
console.log(JSON.stringify({ dir, functions, baseMiB: base, snapshotMiB: afterRead - base, afterGraphMiB: graphBuilt - base, peakMiB: peak - base, endMiB: end - base, edgeRows, rssMiB: mib(process.memoryUsage().rss) }));
