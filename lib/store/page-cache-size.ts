/**
 * How large a page cache (PostgreSQL's shared buffers) the dashboard gives the embedded database.
 *
 * A scan keeps the default small (db.ts DEFAULT_CACHE_MB): it writes far more than any cache holds,
 * and every MiB of it is process memory from the start. The dashboard reads: a text search or a
 * deep page at 100,000 functions touches 100–200 MiB of tables and indexes, and each page not in
 * the cache is one system call through PGlite's file layer, so a 32 MiB cache reads most of them
 * again on every request (measured at 100,000 functions, 1.8 GB of tables: text search 440 → 204 ms,
 * a deep page by name 217 → 72 ms with 256 MiB). The cache grows with the store: an eighth of the
 * tables' size on disk, from the default up to 256 MiB, which costs its size in memory and about
 * 3 ms per MiB when the dashboard first opens the database.
 */
import fs from "node:fs";
import path from "node:path";
import { DEFAULT_CACHE_MB } from "./db";

export const MAX_DASHBOARD_CACHE_MB = 256;

/** The page cache for a dashboard on the embedded database under `dataDir` (its `pgdata`). */
export function dashboardCacheMb(dataDir: string): number {
  const tablesMb = storedBytes(path.join(dataDir, "pgdata", "base")) / 2 ** 20;
  return cacheMbForTables(tablesMb);
}

/** An eighth of the tables' MiB, in steps of 16, between the default and MAX_DASHBOARD_CACHE_MB. */
export function cacheMbForTables(tablesMb: number): number {
  const wanted = Math.ceil(tablesMb / 8 / 16) * 16;
  return Math.min(MAX_DASHBOARD_CACHE_MB, Math.max(DEFAULT_CACHE_MB, wanted));
}

/** Bytes of the files in `dir` and its directories (PostgreSQL's `base`: one directory per database); 0 when absent. */
function storedBytes(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += storedBytes(full);
    else if (entry.isFile()) {
      try {
        total += fs.statSync(full).size;
      } catch {
        // A file dropped between the listing and its size (a table rewritten) counts for nothing.
      }
    }
  }
  return total;
}
