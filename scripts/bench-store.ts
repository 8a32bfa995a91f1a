/**
 * CPU time of storing one scan on a fresh embedded database, per table: the analysis runs first
 * (in process) and its rows are replayed into storeSnapshot, so the process's CPU time around
 * each write is the store's alone. Usage: tsx scripts/bench-store.ts SNAPSHOT_DIR [DATA_DIR]
 * Experiments: BENCH_SQL runs SQL on the fresh database first (e.g. a setting), BENCH_DROP_INDEXES=1
 * drops every secondary index, BENCH_WINDOW=1 prints the storing window in --cpu-prof time units,
 * BENCH_ROWS=FILE keeps the analysed rows in FILE and replays them on the next run.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import { openDatabase, type Database, type SqlRunner } from "@/lib/store/db";
import { createScan, storeSnapshot } from "@/lib/store/save-scan";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { analyseToRows } from "@/lib/jobs/analyse-to-rows";
import type { AnalysedRows, EncodedRows } from "@/lib/store/scan-rows";

const [snapshotDir, dataDirArg] = process.argv.slice(2);
if (!snapshotDir) throw new Error("usage: bench-store.ts SNAPSHOT_DIR [DATA_DIR]");
const dataDir = dataDirArg ?? fs.mkdtempSync(path.join(os.tmpdir(), "bench-store-"));
fs.rmSync(dataDir, { recursive: true, force: true });

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const perTable = new Map<string, { cpu: number; calls: number }>();
const tableOf = (sql: string) =>
  /^\s*(?:WITH written AS \(\s*)?(?:INSERT INTO|COPY)\s+"?(\w+)/i.exec(sql)?.[1] ?? /^\s*(UPDATE|ANALYZE|COMMIT|BEGIN|SELECT|DELETE|SET)\b/i.exec(sql)?.[1].toUpperCase() ?? sql.slice(0, 40);
// BENCH_WAL=1 also counts the WAL bytes each statement writes (one more query per statement).
const walBytes = new Map<string, number>();
function measured(conn: SqlRunner): SqlRunner {
  const lsn = async () => (process.env.BENCH_WAL ? Number((await conn.query<{ b: string }>(`SELECT pg_current_wal_insert_lsn() - '0/0' AS b`))[0].b) : 0);
  const wrap = <A extends unknown[], R>(fn: (sql: string, ...rest: A) => Promise<R>) =>
    async (sql: string, ...rest: A): Promise<R> => {
      const wal = await lsn();
      const start = cpu();
      try {
        return await fn(sql, ...rest);
      } finally {
        const t = perTable.get(tableOf(sql)) ?? { cpu: 0, calls: 0 };
        t.cpu += cpu() - start;
        t.calls++;
        perTable.set(tableOf(sql), t);
        if (process.env.BENCH_WAL && !/^(COMMIT|ROLLBACK)/.test(sql)) walBytes.set(tableOf(sql), (walBytes.get(tableOf(sql)) ?? 0) + (await lsn()) - wal);
      }
    };
  return { exec: wrap(conn.exec.bind(conn)), query: wrap(conn.query.bind(conn)) as SqlRunner["query"], queryJson: wrap(conn.queryJson.bind(conn)) };
}

const snapshot = await readSnapshotDir(snapshotDir);
const db: Database = await openDatabase({ dataDir, template: null });
const scanId = await createScan(db, snapshot.source);
if (process.env.BENCH_SQL) await db.exec(process.env.BENCH_SQL);
if (process.env.BENCH_DROP_INDEXES) {
  const idx = await db.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' AND tablename <> 'scans'`);
  for (const { indexname } of idx) await db.exec(`DROP INDEX "${indexname}"`);
  console.log(`dropped ${idx.length} indexes`);
}
let results: AnalysedRows[] = [];
let edges: EncodedRows[][] = [];
let t = cpu();
// BENCH_ROWS=FILE keeps the analysed rows between runs (the scan id is 1 on a fresh database).
const cached = process.env.BENCH_ROWS;
if (cached && fs.existsSync(cached)) ({ results, edges } = v8.deserialize(fs.readFileSync(cached)) as { results: AnalysedRows[]; edges: EncodedRows[][] });
else {
  await analyseToRows(scanId, snapshot, {}, { rows: (r) => void results.push(r), edges: (batches) => void edges.push(batches) });
  if (cached) fs.writeFileSync(cached, v8.serialize({ results, edges }));
}
console.log(`analysis (not measured below): ${(cpu() - t).toFixed(1)} s CPU, ${results.reduce((n, r) => n + r.functions.length, 0)} functions`);
const withConnection = db.withConnection;
db.withConnection = (fn) => withConnection((conn) => fn(measured(conn)));
t = cpu();
const startTicks = process.hrtime.bigint();
const t0 = performance.now();
await storeSnapshot(db, scanId, snapshot, {
  async stream(sink) {
    for (const r of results) await sink.rows(r);
    for (const batch of edges) await sink.edges(batch);
  },
});
const total = cpu() - t;
if (process.env.BENCH_WINDOW) console.log(`window ${Number(startTicks / 1000n)} ${Number(process.hrtime.bigint() / 1000n)}`);
console.log(`store: ${total.toFixed(2)} s CPU, ${((performance.now() - t0) / 1000).toFixed(2)} s wall, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
for (const [table, { cpu: c, calls }] of [...perTable].sort((a, b) => b[1].cpu - a[1].cpu)) {
  const wal = walBytes.has(table) ? `  WAL ${(walBytes.get(table)! / 2 ** 20).toFixed(1)} MiB` : "";
  console.log(`  ${table.padEnd(24)} ${c.toFixed(2).padStart(7)} s  ${calls} statements${wal}`);
}
const sizes = await db.query<{ t: string; b: string }>(`SELECT relname t, pg_size_pretty(pg_total_relation_size(oid)) b FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY pg_total_relation_size(oid) DESC LIMIT 8`);
console.log(sizes.map((c) => `${c.t}=${c.b}`).join(" "));
const counts = await db.query<{ t: string; n: number }>(
  `SELECT 'findings' t, count(*)::int n FROM findings UNION ALL SELECT 'edges', count(*)::int FROM edges UNION ALL SELECT 'functions', count(*)::int FROM functions`,
);
console.log(counts.map((c) => `${c.t}=${c.n}`).join(" "));
await db.close();
if (!dataDirArg) fs.rmSync(dataDir, { recursive: true, force: true });
