/**
 * `tsx scripts/bench-analysis.ts <snapshot-dir>`: the analysis worker's work (analysis, rows,
 * encoding) on this thread with no database, timed in CPU and wall seconds, and a SHA-256 of every
 * encoded batch in order, so a speed change can show that what the writer receives did not move.
 * Run it with the worker's heap cap (`node --max-old-space-size=1024 --import tsx …`) to see its GC.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { analyseToRows } from "@/lib/jobs/analyse-to-rows";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";

const dir = process.argv[2];
if (!dir) throw new Error("usage: bench-analysis <snapshot-dir>");
const snapshot = await readSnapshotDir(dir);
const hash = crypto.createHash("sha256");
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
/** This thread's CPU seconds alone (Linux): the process's also count the collector's helper threads. */
const threadCpu = () => {
  try {
    const fields = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
};
const thread0 = threadCpu();
const start = { cpu: cpu(), wall: performance.now() };
let graphDone = { ...start };
await analyseToRows(
  1,
  snapshot,
  {
    now: "2026-12-02T08:00:00.000Z",
    onProgress: (fraction) => {
      if (fraction === 0) graphDone = { cpu: cpu(), wall: performance.now() };
    },
  },
  {
    rows: ({ functions, batches }) => {
      hash.update(JSON.stringify(functions));
      for (const b of batches) hash.update(`${b.table}|${b.columns.join(",")}|${b.count}|`).update(b.bytes);
    },
    edges: (batches) => {
      for (const b of batches) hash.update(`${b.table}|${b.columns.join(",")}|${b.count}|`).update(b.bytes);
    },
  },
);
const end = { cpu: cpu(), wall: performance.now() };
const s = (n: number) => n.toFixed(2);
console.log(
  `setup+graph ${s(graphDone.cpu - start.cpu)} cpu s ${s((graphDone.wall - start.wall) / 1000)} wall s | functions ${s(end.cpu - graphDone.cpu)} cpu s ${s((end.wall - graphDone.wall) / 1000)} wall s | ` +
    `total ${s(end.cpu - start.cpu)} cpu s (this thread ${s(threadCpu() - thread0)}) ${s((end.wall - start.wall) / 1000)} wall s | rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB | output ${hash.digest("hex").slice(0, 16)}`,
);
