/**
 * `tsx scripts/profile-export.ts --data DATA_DIR --format json [--out FILE]`: one whole-organization
 * export read from a scanned data dir and written to a file (default /dev/null), outside the
 * server, with time to first piece, total, bytes, heap and RSS growth. Run it under
 * `node --cpu-prof --import tsx` to see where an export's time goes without Next.js around it.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { latestCompleteScanId, openJsonReport } from "@/lib/queries/json-report";
import { isReportFormat, streamReportBytes } from "@/lib/report/render-report";
import { openDatabase } from "@/lib/store/db";

const { values } = parseArgs({
  options: { data: { type: "string" }, format: { type: "string", default: "json" }, out: { type: "string", default: "/dev/null" }, queries: { type: "boolean", default: false } },
  strict: true,
});
if (!values.data || !isReportFormat(values.format!)) {
  console.error("usage: tsx scripts/profile-export.ts --data DATA_DIR --format json|csv|sarif|html [--out FILE]");
  process.exit(2);
}
const format = values.format;
const db = await openDatabase({ dataDir: path.resolve(values.data), template: null });
const scanId = await latestCompleteScanId(db);
// --queries: time spent in each raw query (by its first words), printed at the end.
const queryMs = new Map<string, { n: number; ms: number }>();
if (values.queries) {
  const query = db.query.bind(db);
  db.query = (async (sql: string, params?: unknown[]) => {
    const t = performance.now();
    try {
      return await query(sql, params);
    } finally {
      const key = sql.replace(/\s+/g, " ").trim().slice(0, 90);
      const q = queryMs.get(key) ?? { n: 0, ms: 0 };
      q.n += 1;
      q.ms += performance.now() - t;
      queryMs.set(key, q);
    }
  }) as typeof db.query;
}
if (scanId === null) throw new Error("no complete scan");
const rss0 = process.memoryUsage().rss;
let peakRss = rss0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const fd = fs.openSync(values.out!, "w");
let first = 0;
let bytes = 0;
for await (const buf of streamReportBytes(await openJsonReport(db, scanId), format)) {
  if (!first) first = performance.now() - t0;
  // PGlite answers in microtasks: a timer may never fire during the export, so sample here too.
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  bytes += buf.byteLength;
  fs.writeSync(fd, buf);
}
fs.closeSync(fd);
const total = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
console.log(
  JSON.stringify({ format, "first ms": Math.round(first), "total ms": Math.round(total), "CPU ms": Math.round((cpu.user + cpu.system) / 1000), MB: +(bytes / 2 ** 20).toFixed(1), "RSS growth MB": Math.round((peakRss - rss0) / 2 ** 20) }),
);
for (const [sql, q] of [...queryMs].sort((a, b) => b[1].ms - a[1].ms)) console.log(`${Math.round(q.ms).toString().padStart(7)} ms ${String(q.n).padStart(5)}× ${sql}`);
await db.close();
