/**
 * Scans a snapshot directory into a fresh embedded database and prints, per stored table, its
 * row count and a SHA-256 of its rows (scripts/lib/stored-scan.ts): run it before and after a
 * speed change to show the stored result did not move.
 *
 *   npx tsx scripts/scan-digest.ts <snapshot-dir> [--now ISO] [--out rows.json] [--as-cli]
 *
 * `--as-cli` reads the snapshot as `saltzer scan --snapshot` does: the analysis worker reads it
 * while the database opens and hands it over (prepareAnalysisWorker).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "@/lib/store/db";
import { scanSnapshotDir } from "@/lib/jobs/run-scan";
import { analysisWorkerFiles, prepareAnalysisWorker } from "@/lib/jobs/analyse-in-worker";
import { STORED_PARTS, storedScan } from "./lib/stored-scan";

const { values, positionals } = parseArgs({ options: { now: { type: "string", default: "2026-12-02T08:00:00.000Z" }, out: { type: "string" }, "as-cli": { type: "boolean", default: false } }, allowPositionals: true });
if (positionals.length !== 1) throw new Error("usage: scan-digest <snapshot-dir> [--now ISO] [--out rows.json] [--as-cli]");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-digest-"));
const db = await openDatabase({ dataDir: dir });
try {
  const snapshotDir = path.resolve(positionals[0]);
  const workerFiles = values["as-cli"] ? analysisWorkerFiles() : null;
  if (values["as-cli"] && !workerFiles) throw new Error("--as-cli needs the analysis worker: build it with `node scripts/build-dist.mjs`.");
  const preparedWorker = workerFiles ? prepareAnalysisWorker(workerFiles, { snapshotDir }) : undefined;
  const result = await scanSnapshotDir(db, snapshotDir, { now: values.now, preparedWorker });
  const stored = await storedScan(db, result.scanId);
  for (const part of STORED_PARTS) {
    const rows = stored[part] ?? [];
    console.log(`${part.padEnd(22)} ${String(rows.length).padStart(8)}  ${crypto.createHash("sha256").update(rows.join("\n")).digest("hex").slice(0, 16)}`);
  }
  if (values.out) fs.writeFileSync(values.out, JSON.stringify(stored));
} finally {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
