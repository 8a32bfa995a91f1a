// Temporary: an incremental rescan through the API with per-statement timings.
import { openDatabase } from "@/lib/store/db";
import { scanSnapshotDir } from "@/lib/jobs/run-scan";
const [dataDir, snap, thread] = process.argv.slice(2);
let t = performance.now();
const db = await openDatabase({ dataDir });
console.log("open", (performance.now() - t).toFixed(0));
const times = new Map<string, { n: number; ms: number }>();
const wrap = <R extends { query: Function; exec: Function; queryJson?: Function }>(r: R): R => {
  const timed = (name: "query" | "exec" | "queryJson") => {
    const orig = (r as any)[name]?.bind(r);
    if (!orig) return undefined;
    return async (sql: string, ...rest: unknown[]) => {
      const s = performance.now();
      try { return await orig(sql, ...rest); } finally {
        const key = sql.replace(/\s+/g, " ").slice(0, 110);
        const e = times.get(key) ?? { n: 0, ms: 0 }; e.n++; e.ms += performance.now() - s; times.set(key, e);
      }
    };
  };
  return { ...r, query: timed("query"), exec: timed("exec"), ...(r.queryJson ? { queryJson: timed("queryJson") } : {}) };
};
const origWith = db.withConnection.bind(db);
(db as any).withConnection = (fn: any) => origWith((conn: any) => fn(wrap(conn)));
const origQuery = db.query.bind(db);
(db as any).query = async (sql: string, p?: unknown[]) => { const s = performance.now(); try { return await origQuery(sql, p); } finally { const key = "DB " + sql.replace(/\s+/g, " ").slice(0, 100); const e = times.get(key) ?? { n: 0, ms: 0 }; e.n++; e.ms += performance.now() - s; times.set(key, e); } };
t = performance.now();
const r = await scanSnapshotDir(db, snap, { analysisThread: (thread as "main" | "worker") ?? "worker" });
console.log("scan", (performance.now() - t).toFixed(0), JSON.stringify(r.timings), JSON.stringify(r.reused));
for (const [k, v] of [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(v.ms.toFixed(0).padStart(7), String(v.n).padStart(5), k);
t = performance.now();
await db.close();
console.log("close", (performance.now() - t).toFixed(0));
